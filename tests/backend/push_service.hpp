#pragma once
// A push service on 127.0.0.1 for the tests (RFC 8030's role, as a browser vendor runs it): it accepts
// POST /push/<n>, answers with the status the test set for <n> (201 by default), and keeps every request it
// received. Waiting is on its condition variable (an event), never on a timer. OpenBody decrypts what it got
// as the browser would (RFC 8291 §3.4, RFC 8188): the keys from the body's header and the UA's private key.
#include <openssl/evp.h>

#include <httplib.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mizu/backend/web_push.hpp"

namespace mizu::testing {

struct PushReceived {
  int device = 0;  // <n> of /push/<n>
  httplib::Headers headers;
  std::string body;
  int answered = 0;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class PushService {
 public:
  PushService() {
    server_.Post(R"(/push/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
      const int device = std::stoi(req.matches[1]);
      std::lock_guard lock(mutex_);
      auto it = status_.find(device);
      const int status = it == status_.end() ? 201 : it->second;
      received_.push_back({device, req.headers, req.body, status});
      res.status = status;
      changed_.notify_all();
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });  // bound and listening: connects queue
  }
  ~PushService() {
    server_.stop();
    thread_.join();
  }
  std::string Endpoint(int device) const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/push/" + std::to_string(device);
  }
  void Answer(int device, int status) {
    std::lock_guard lock(mutex_);
    status_[device] = status;
  }
  // Waits until n requests arrived in all (at most 20 s), then returns them all.
  std::vector<PushReceived> WaitFor(size_t n) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(20), [&] { return received_.size() >= n; });
    return received_;
  }
  std::vector<PushReceived> Received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<int, int> status_;
  std::vector<PushReceived> received_;
};

// The plaintext of an aes128gcm push body for the UA holding ua_private and auth; throws when the tag fails.
inline std::string OpenBody(const std::string& body, const std::string& ua_private, const std::string& auth) {
  REQUIRE(body.size() > 86 + 16);
  REQUIRE(static_cast<unsigned char>(body[20]) == 65);
  const std::string salt = body.substr(0, 16), as_public = body.substr(21, 65);
  const auto k = backend::DerivePushKeys(backend::P256Ecdh(ua_private, as_public), auth,
                                         backend::P256PublicKey(ua_private), as_public, salt);
  const std::string cipher = body.substr(86, body.size() - 86 - 16);
  std::string tag = body.substr(body.size() - 16);
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      EVP_CIPHER_CTX_free);
  std::string plain(cipher.size(), '\0');
  int len = 0, fin = 0;
  auto u = [](const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); };
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, u(k.cek), u(k.nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len, u(cipher),
                        static_cast<int>(cipher.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &fin) != 1)
    throw std::runtime_error("the tag did not verify");
  REQUIRE(!plain.empty());
  REQUIRE(plain.back() == '\x02');  // the last record's delimiter (RFC 8188 §2)
  plain.pop_back();
  return plain;
}

}  // namespace mizu::testing
