// Web Push on the application server's side (mizu/backend/web_push.hpp): RFC 8291's worked example (Appendix
// A) reproduced value by value and byte for byte, a message under fresh keys opened from the browser's side,
// refusals of malformed keys, and VAPID (RFC 8292) tokens checked claim by claim with the signature verified.
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "mizu/backend/auth.hpp"
#include "mizu/backend/web_push.hpp"
#include "push_service.hpp"

using namespace mizu::backend;

namespace {

std::string B64(std::string_view text) {
  auto raw = Base64Decode(text, true);
  REQUIRE(raw);
  return *raw;
}

std::string Url(std::string_view bytes) {
  return Base64Encode(bytes, true);
}

// RFC 8291 Appendix A, as published (base64url without padding).
constexpr const char* kPlaintext = "When I grow up, I want to be a watermelon";
constexpr const char* kAsPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
constexpr const char* kAsPublic =
    "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
constexpr const char* kUaPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
constexpr const char* kUaPublic =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
constexpr const char* kSalt = "DGv6ra1nlYgDCS1FRnbzlw";
constexpr const char* kAuth = "BTBZMqHH6r4Tts7J_aSIgg";
constexpr const char* kEcdh = "kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs";
constexpr const char* kPrkKey = "Snr3JMxaHVDXHWJn5wdC52WjpCtd2EIEGBykDcZW32k";
constexpr const char* kKeyInfo =
    "V2ViUHVzaDogaW5mbwAEJXGyvs3942BVGq8e0PTNNmwRzr5VX4m8t7GGpTM5FzFo7OLr4BhZe9MEebhuPI-"
    "OztV3ylkYfpJGmQ22ggCLDgT-"
    "M_SrDepxkU21WCP3O1SUj0EwbZIHMtu5pZpTKGSCIA5Zent7wmC6HCJ5mFgJkuk5cwAvMBKiiujwa7t45ewP";
constexpr const char* kIkm = "S4lYMb_L0FxCeq0WhDx813KgSYqU26kOyzWUdsXYyrg";
constexpr const char* kPrk = "09_eUZGrsvxChDCGRCdkLiDXrReGOEVeSCdCcPBSJSc";
constexpr const char* kCek = "oIhVW04MRdy2XN9CiKLxTg";
constexpr const char* kNonce = "4h_95klXJ5E_qnoN";
constexpr const char* kBody =
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_"
    "c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3j"
    "l7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

}  // namespace

TEST_CASE("RFC 8291 Appendix A: every intermediate value and the encrypted body, byte for byte",
          "[web_push]") {
  CHECK(Url(P256PublicKey(B64(kAsPrivate))) == kAsPublic);
  CHECK(Url(P256PublicKey(B64(kUaPrivate))) == kUaPublic);
  const std::string ecdh = P256Ecdh(B64(kAsPrivate), B64(kUaPublic));
  CHECK(Url(ecdh) == kEcdh);
  CHECK(P256Ecdh(B64(kUaPrivate), B64(kAsPublic)) == ecdh);  // both sides agree

  const auto k = DerivePushKeys(ecdh, B64(kAuth), B64(kUaPublic), B64(kAsPublic), B64(kSalt));
  CHECK(Url(k.prk_key) == kPrkKey);
  CHECK(Url(k.key_info) == kKeyInfo);
  CHECK(Url(k.ikm) == kIkm);
  CHECK(Url(k.prk) == kPrk);
  CHECK(Url(k.cek) == kCek);
  CHECK(Url(k.nonce) == kNonce);

  const std::string body =
      EncryptPushMessage(kPlaintext, B64(kUaPublic), B64(kAuth), B64(kAsPrivate), B64(kSalt));
  CHECK(Url(body) == kBody);
  CHECK(mizu::testing::OpenBody(B64(kBody), B64(kUaPrivate), B64(kAuth)) == kPlaintext);
}

TEST_CASE("A message under a fresh sender key and salt opens on the browser's side, and only there",
          "[web_push]") {
  const P256KeyPair ua = GenerateP256KeyPair();
  const std::string auth = RandomBytes(16);
  const std::string text = "検針結果のお知らせ：11月分 18m³";
  const std::string a = EncryptPushMessage(text, ua.public_key, auth);
  const std::string b = EncryptPushMessage(text, ua.public_key, auth);
  CHECK(a != b);  // a new salt and sender key each time
  CHECK(a.size() == 86 + text.size() + 1 + 16);
  CHECK(a.substr(16, 4) == std::string("\x00\x00\x10\x00", 4));  // rs = 4096
  CHECK(mizu::testing::OpenBody(a, ua.private_key, auth) == text);
  CHECK(mizu::testing::OpenBody(b, ua.private_key, auth) == text);

  std::string tampered = a;
  tampered[100] = static_cast<char>(tampered[100] ^ 1);
  CHECK_THROWS_AS(mizu::testing::OpenBody(tampered, ua.private_key, auth), std::runtime_error);
  CHECK_THROWS_AS(mizu::testing::OpenBody(a, ua.private_key, RandomBytes(16)),
                  std::runtime_error);  // another auth secret
  CHECK_THROWS_AS(mizu::testing::OpenBody(a, GenerateP256KeyPair().private_key, auth),
                  std::runtime_error);  // another browser

  // The longest message that fits one 4096-byte record, and one byte more.
  CHECK(EncryptPushMessage(std::string(kPushMaxPlaintext, 'x'), ua.public_key, auth).size() == 86 + 4096);
  CHECK_THROWS_AS(EncryptPushMessage(std::string(kPushMaxPlaintext + 1, 'x'), ua.public_key, auth),
                  std::invalid_argument);
}

TEST_CASE("Malformed subscription keys are refused, never used", "[web_push]") {
  const std::string ua = B64(kUaPublic), auth = B64(kAuth);
  std::string off_curve = ua;
  off_curve[40] = static_cast<char>(off_curve[40] ^ 1);
  std::string compressed = ua;
  compressed[0] = 0x02;
  for (const std::string& bad :
       {off_curve, compressed, ua.substr(0, 64), std::string(), std::string(65, '\0')}) {
    INFO(Url(bad));
    CHECK_THROWS_AS(EncryptPushMessage("x", bad, auth), std::invalid_argument);
  }
  CHECK_THROWS_AS(EncryptPushMessage("x", ua, auth.substr(0, 15)), std::invalid_argument);
  CHECK_THROWS_AS(EncryptPushMessage("x", ua, auth + "x"), std::invalid_argument);
  CHECK_THROWS_AS(P256PublicKey(std::string(32, '\0')), std::invalid_argument);    // zero is no key
  CHECK_THROWS_AS(P256PublicKey(std::string(32, '\xff')), std::invalid_argument);  // ≥ the group order
  CHECK_THROWS_AS(P256PublicKey(std::string(31, '\x01')), std::invalid_argument);
}

TEST_CASE("VAPID: an ES256 JWT with the endpoint's origin, expiry and contact, and the key it verifies with",
          "[web_push]") {
  const P256KeyPair vapid = GenerateP256KeyPair();
  const std::string header =
      VapidAuthorization("https://push.example.net", 1'764'590'400, "mailto:webpush@mizumori.example",
                         vapid.private_key, vapid.public_key);
  REQUIRE(header.rfind("vapid t=", 0) == 0);
  const size_t comma = header.find(", k=");
  REQUIRE(comma != std::string::npos);
  CHECK(header.substr(comma + 4) == Url(vapid.public_key));
  const std::string jwt = header.substr(8, comma - 8);
  const size_t dot1 = jwt.find('.'), dot2 = jwt.rfind('.');
  REQUIRE(dot1 != dot2);
  CHECK(nlohmann::json::parse(B64(jwt.substr(0, dot1))) ==
        nlohmann::json({{"typ", "JWT"}, {"alg", "ES256"}}));
  CHECK(nlohmann::json::parse(B64(jwt.substr(dot1 + 1, dot2 - dot1 - 1))) ==
        nlohmann::json({{"aud", "https://push.example.net"},
                        {"exp", 1'764'590'400},
                        {"sub", "mailto:webpush@mizumori.example"}}));
  const std::string sig = B64(jwt.substr(dot2 + 1));
  REQUIRE(sig.size() == 64);  // r | s (RFC 7518 §3.4), not DER

  // Verify: r | s back to DER, the public point as a key, EVP_DigestVerify over "header.claims".
  auto verify = [&](const std::string& input, const std::string& rs, const std::string& pub) {
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> s(ECDSA_SIG_new(), ECDSA_SIG_free);
    ECDSA_SIG_set0(s.get(), BN_bin2bn(reinterpret_cast<const unsigned char*>(rs.data()), 32, nullptr),
                   BN_bin2bn(reinterpret_cast<const unsigned char*>(rs.data()) + 32, 32, nullptr));
    unsigned char* der = nullptr;
    const int der_len = i2d_ECDSA_SIG(s.get(), &der);
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> pc(
        EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr), EVP_PKEY_CTX_free);
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string("group", const_cast<char*>("prime256v1"), 0),
        OSSL_PARAM_construct_octet_string("pub", const_cast<char*>(pub.data()), pub.size()),
        OSSL_PARAM_construct_end()};
    EVP_PKEY* key = nullptr;
    REQUIRE(EVP_PKEY_fromdata_init(pc.get()) == 1);
    REQUIRE(EVP_PKEY_fromdata(pc.get(), &key, EVP_PKEY_PUBLIC_KEY, params) == 1);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    const bool ok = EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
                    EVP_DigestVerify(md.get(), der, static_cast<size_t>(der_len),
                                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    OPENSSL_free(der);
    EVP_PKEY_free(key);
    return ok;
  };
  const std::string input = jwt.substr(0, dot2);
  CHECK(verify(input, sig, vapid.public_key));
  CHECK_FALSE(verify(input + "x", sig, vapid.public_key));
  CHECK_FALSE(verify(input, sig, GenerateP256KeyPair().public_key));
  CHECK_THROWS_AS(VapidAuthorization("https://push.example.net", 1, "mailto:a@b", vapid.private_key,
                                     GenerateP256KeyPair().public_key),
                  std::invalid_argument);
}

TEST_CASE("The VAPID audience is the endpoint's origin", "[web_push]") {
  CHECK(PushEndpointOrigin("https://fcm.example.com/fcm/send/abc:def") == "https://fcm.example.com");
  CHECK(PushEndpointOrigin("https://updates.push.example.net:8443/wpush/v2/gAAA?x=1") ==
        "https://updates.push.example.net:8443");
  CHECK(PushEndpointOrigin("http://127.0.0.1:41234/push/7") == "http://127.0.0.1:41234");
  CHECK(PushEndpointOrigin("https://host") == "https://host");
  // RFC 6454 §6.2: the default port is not part of the origin (the audience push services compare).
  CHECK(PushEndpointOrigin("https://FCM.example.com:443/fcm/send/x") == "https://fcm.example.com");
  CHECK(PushEndpointOrigin("http://127.0.0.1:80/push/7") == "http://127.0.0.1");
  CHECK(PushEndpointOrigin("https://host:4430/x") == "https://host:4430");
  CHECK(PushEndpointOrigin("ftp://host/x").empty());
  CHECK(PushEndpointOrigin("https:///x").empty());
  CHECK(PushEndpointOrigin("https://user@host/x").empty());
  CHECK(PushEndpointOrigin("no scheme").empty());
}
