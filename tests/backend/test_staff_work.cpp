// The staff's work queues over real HTTP: the applications queue (a counter clerk moves a 使用開始
// application on, the applicant is mailed in the application's language and sees the status) and bureau
// notices (a supervisor previews and publishes to all, a list or a district; the notice reaches exactly those
// contracts' お知らせ, and mail respects each account's settings). Each action is audited.
#include "billing_helpers.hpp"
#include "staff_helpers.hpp"

using namespace mizu::testing;
using mizu::backend::StaffRole;

namespace {

const std::string kCounter = "counter@example.jp";
const std::string kSupervisor = "super@example.jp";

// A 使用開始 application as a resident sends it (Friday 2026-11-20: Tue 11-24 is the next business day).
json MoveIn(const std::string& email) {
  return {{"address", "水守市桜台2-3-4 ハイツ水守101"},
          {"name", "田中 陽子"},
          {"name_kana", "タナカ ヨウコ"},
          {"phone", "090-1234-5678"},
          {"email", email},
          {"desired_date", "2026-11-24"},
          {"payment_method", "口座振替"}};
}

// The mail to `to` whose subject contains `part` (waiting for up to n mails to arrive).
json MailWith(Portal& p, const std::string& to, size_t n, const std::string& part) {
  p.WaitForMails(to, n);
  for (auto& m : p.MailsTo(to))
    if (Contains(m["subject"].get<std::string>(), part)) return m;
  return json();
}

// Two registered residents whose data is visible (Tue 2026-11-24 10:00): taro holds 8002 (水守市本町1-2-3),
// hana 8004 (水守市桜台4-5-6). Their session cookies, to switch between them on the one Portal.
struct Residents {
  std::string taro, hana;
};
Residents TwoResidents(Portal& p) {
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  REQUIRE(p.SignUp("hana@example.jp", "00000008004", "0467-22-3333").status == 201);
  Residents r;
  At(p, "2026-11-24T10:00:00+09:00", "taro@example.jp");
  r.taro = p.Cookie();
  REQUIRE(p.Post("/api/v1/login", {{"email", "hana@example.jp"}, {"password", kPassword}}).status == 200);
  r.hana = p.Cookie();
  return r;
}

// The titles in a contract's お知らせ, as its resident sees them.
std::vector<std::string> NoticeTitles(Portal& p, const std::string& cookie, const std::string& cn) {
  p.UseCookie(cookie);
  auto r = p.Get("/api/v1/contracts/" + cn + "/notices");
  REQUIRE(r.status == 200);
  std::vector<std::string> out;
  for (const auto& n : r.body["notices"]) out.push_back(n["title"]);
  return out;
}

bool Has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

TEST_CASE("staff work: every route refuses no session, a resident's cookie and the wrong role", "[staff]") {
  Portal p;
  REQUIRE(p.SignUp("resident@example.jp").status == 201);
  const std::string resident = p.Cookie();
  StaffDesk nobody(p), counter(p), supervisor(p);
  counter.EnrolAndLogin(kCounter, StaffRole::kCounter);
  supervisor.EnrolAndLogin(kSupervisor, StaffRole::kSupervisor);
  struct Route {
    std::string method, path;
    StaffRole role;
  };
  const std::vector<Route> routes = {
      {"GET", "/api/v1/staff/applications", StaffRole::kCounter},
      {"GET", "/api/v1/staff/applications/MI-20261120-000001", StaffRole::kCounter},
      {"PUT", "/api/v1/staff/applications/MI-20261120-000001/status", StaffRole::kCounter},
      {"POST", "/api/v1/staff/notices/preview", StaffRole::kSupervisor},
      {"POST", "/api/v1/staff/notices", StaffRole::kSupervisor},
      {"GET", "/api/v1/staff/notices", StaffRole::kSupervisor},
  };
  const json body = {{"status", "done"}, {"target", "all"}, {"title_ja", "x"}, {"body_ja", "x"}};
  for (const auto& r : routes) {
    INFO(r.method << " " << r.path);
    auto none = nobody.Send(r.method, r.path, body);
    CHECK(none.status == 401);
    CHECK(ErrorCode(none) == "unauthorized");
    // The resident's session, as the resident's cookie and under the staff cookie's name.
    p.UseCookie(resident);
    CHECK(p.Send(r.method, r.path, body).status == 401);
    auto client = p.Client();
    httplib::Headers as_staff = {{"Cookie", "mizu_staff=" + resident}};
    auto res = r.method == "GET"   ? client.Get(r.path.c_str(), as_staff)
               : r.method == "PUT" ? client.Put(r.path.c_str(), as_staff, body.dump(), "application/json")
                                   : client.Post(r.path.c_str(), as_staff, body.dump(), "application/json");
    REQUIRE(res);
    CHECK(res->status == 401);
    // A counter clerk may work the applications queue, not publish notices.
    const int as_counter = counter.Send(r.method, r.path, body).status;
    if (r.role == StaffRole::kSupervisor)
      CHECK(as_counter == 403);
    else
      CHECK(as_counter != 403);
    CHECK(supervisor.Send(r.method, r.path, body).status != 403);
  }
  // Nothing above was stored or sent: no audit entry of these actions.
  CHECK(AuditCount(p, "application_status") == 0);
  CHECK(AuditCount(p, "notice_published") == 1);  // the supervisor's own "all" notice went through
}

TEST_CASE(
    "staff work: a counter moves an application on with a note, the history keeps each step, the applicant "
    "is mailed in the application's language and sees the status",
    "[staff]") {
  Portal p;
  StaffDesk counter(p), supervisor(p);
  counter.EnrolAndLogin(kCounter, StaffRole::kCounter);
  supervisor.EnrolAndLogin(kSupervisor, StaffRole::kSupervisor);
  auto ja = p.Post("/api/v1/applications/move-in", MoveIn("yoko@example.jp"));
  REQUIRE(ja.status == 201);
  const std::string ref = ja.body["reference"];
  auto en = p.Post("/api/v1/applications/move-in", MoveIn("yoko.en@example.jp"),
                   {{"Accept-Language", "en-US,en;q=0.9"}});
  REQUIRE(en.status == 201);
  const std::string ref_en = en.body["reference"];

  // The queue: newest first, by status; paged.
  auto received = counter.Get("/api/v1/staff/applications?status=received");
  REQUIRE(received.status == 200);
  REQUIRE(received.body["items"].size() == 2);
  CHECK(received.body["items"][0]["reference"] == ref_en);
  CHECK(received.body["items"][1]["reference"] == ref);
  CHECK(received.body["next_before"].is_null());
  auto page = counter.Get("/api/v1/staff/applications?limit=1");
  REQUIRE(page.body["items"].size() == 1);
  auto next = counter.Get("/api/v1/staff/applications?limit=1&before=" + page.body["next_before"].dump());
  REQUIRE(next.body["items"].size() == 1);
  CHECK(next.body["items"][0]["reference"] == ref);
  CHECK(ErrorCode(counter.Get("/api/v1/staff/applications?status=processing")) == "invalid_format");

  // Open one: everything the clerk needs, and the history from the submission.
  auto opened = counter.Get("/api/v1/staff/applications/" + ref);
  REQUIRE(opened.status == 200);
  CHECK(opened.body["kind"] == "move_in");
  CHECK(opened.body["address"] == "水守市桜台2-3-4 ハイツ水守101");
  CHECK(opened.body["phone"] == "09012345678");
  CHECK(opened.body["email"] == "yoko@example.jp");
  CHECK(opened.body["payment_method"] == "direct_debit");
  CHECK(opened.body["desired_date"] == "2026-11-24");
  REQUIRE(opened.body["history"].size() == 1);
  CHECK(opened.body["history"][0]["to"] == "received");
  CHECK(ErrorCode(counter.Get("/api/v1/staff/applications/MI-20000101-999999")) == "application_not_found");

  // Rejected needs a note (field error); a status that is not the bureau's is refused.
  const std::string status_path = "/api/v1/staff/applications/" + ref + "/status";
  auto no_note = counter.Send("PUT", status_path, {{"status", "rejected"}, {"note", "　"}});
  CHECK(no_note.status == 400);
  CHECK(no_note.body["error"]["fields"]["note"]["code"] == "required");
  CHECK(
      counter.Send("PUT", status_path, {{"status", "cancelled"}}).body["error"]["fields"]["status"]["code"] ==
      "invalid_format");
  CHECK(counter.Send("PUT", status_path, {{"status", "done"}, {"note", std::string(1001, 'x')}})
            .body["error"]["fields"]["note"]["code"] == "too_long");

  // Scheduled, with a note for the applicant (typed in lower case: the reference in any case).
  const std::string note = "11月24日 9:00〜12:00 に開栓に伺います。\n立ち会いは不要です。";
  p.Advance(600);
  auto scheduled = counter.Send("PUT", "/api/v1/staff/applications/" + mizu::AsciiLower(ref) + "/status",
                                {{"status", "scheduled"}, {"note", note}});
  REQUIRE(scheduled.status == 200);
  CHECK(scheduled.body["status"] == "scheduled");
  REQUIRE(scheduled.body["history"].size() == 2);
  CHECK(scheduled.body["history"][1]["staff"] == kCounter);
  CHECK(scheduled.body["history"][1]["from"] == "received");
  CHECK(scheduled.body["history"][1]["to"] == "scheduled");
  CHECK(scheduled.body["history"][1]["note"] == note);
  CHECK(ErrorCode(counter.Send("PUT", status_path, {{"status", "scheduled"}})) ==
        "application_status_unchanged");
  CHECK(counter.Get("/api/v1/staff/applications?status=received").body["items"].size() == 1);
  CHECK(counter.Get("/api/v1/staff/applications?status=scheduled").body["items"][0]["reference"] == ref);

  // The applicant's mail, in Japanese (the application's language), with the note.
  auto mail = MailWith(p, "yoko@example.jp", 2, "お申し込みの状況");
  REQUIRE(mail.is_object());
  CHECK(mail["subject"] == "【水守】お申し込みの状況：日程決定（作業の手配済み）（受付番号 " + ref + "）");
  const std::string text = mail["body"];
  CHECK(Contains(text, "使用開始のお申し込みの状況が「日程決定（作業の手配済み）」になりました"));
  CHECK(Contains(text, "立ち会いは不要です。"));
  CHECK(Contains(text, "2026年11月24日"));

  // The applicant sees the status with the reference and their address (any case, any width).
  auto seen = p.Post("/api/v1/applications/status",
                     {{"reference", "ｍｉ" + ref.substr(2)}, {"email", "YOKO@Example.JP"}});
  REQUIRE(seen.status == 200);
  CHECK(seen.body["status"] == "scheduled");
  CHECK(seen.body["note"] == note);
  auto wrong = p.Post("/api/v1/applications/status", {{"reference", ref}, {"email", "someone@example.jp"}});
  CHECK(wrong.status == 404);
  CHECK(ErrorCode(wrong) == "application_not_found");

  // The English application: done, mailed in English.
  REQUIRE(
      counter.Send("PUT", "/api/v1/staff/applications/" + ref_en + "/status", {{"status", "done"}}).status ==
      200);
  auto mail_en = MailWith(p, "yoko.en@example.jp", 2, "Your application");
  REQUIRE(mail_en.is_object());
  CHECK(mail_en["subject"] == "[Mizumori] Your application: Done (" + ref_en + ")");
  CHECK(p.Post("/api/v1/applications/status", {{"reference", ref_en}, {"email", "yoko.en@example.jp"}})
            .body["status"] == "done");

  // Rejected with its reason: the history has all three steps.
  REQUIRE(
      counter.Send("PUT", status_path, {{"status", "rejected"}, {"note", "使用場所の住所が確認できません。"}})
          .status == 200);
  CHECK(counter.Get("/api/v1/staff/applications/" + ref).body["history"].size() == 3);

  // Each change in the staff audit log: the reference, the note as the reason.
  CHECK(AuditCount(p, "application_status") == 3);
  CHECK(AuditCount(p, "application_viewed") >= 2);  // who saw the applicant's details is kept
  auto log = supervisor.Get("/api/v1/staff/audit?staff=" + kCounter);
  REQUIRE(log.status == 200);
  json newest;  // the newest status change (views are logged between them)
  for (const auto& e : log.body["items"])
    if (newest.is_null() && e["action"] == "application_status") newest = e;
  REQUIRE(newest.is_object());
  CHECK(newest["target"] == ref);
  CHECK(newest["reason"] == "使用場所の住所が確認できません。");
}

TEST_CASE(
    "staff work: a district notice reaches the contracts whose address starts with it and no other, once per "
    "publish",
    "[staff]") {
  Portal p;
  const Residents r = TwoResidents(p);
  StaffDesk supervisor(p);
  supervisor.EnrolAndLogin(kSupervisor, StaffRole::kSupervisor);
  // Full-width digits and dash, as a clerk may type them: 水守市本町1-2-3 starts with it, 桜台 does not.
  const json notice = {{"title_ja", "本町1丁目 配水管工事のお知らせ"},
                       {"body_ja", "12月1日 9:00〜12:00\n本町1丁目で配水管の工事を行います。"},
                       {"target", "district"},
                       {"district", "水守市本町１－２"}};
  auto preview = supervisor.Post("/api/v1/staff/notices/preview", notice);
  REQUIRE(preview.status == 200);
  CHECK(preview.body["contracts"] == 1);
  CHECK(preview.body["mailed"] == 1);
  CHECK(preview.body["target"] == "district 水守市本町1-2");
  CHECK(supervisor.Get("/api/v1/staff/notices").body["items"].empty());  // a preview stores nothing

  auto published = supervisor.Post("/api/v1/staff/notices", notice);
  REQUIRE(published.status == 201);
  CHECK(published.body["contracts"] == preview.body["contracts"]);
  CHECK(published.body["mailed"] == preview.body["mailed"]);
  CHECK(published.body["kind"] == "bureau");
  const int64_t id = published.body["id"];

  // In taro's お知らせ (本町), not in hana's (桜台), nor on her top screen.
  CHECK(Has(NoticeTitles(p, r.taro, "00000008002"), "本町1丁目 配水管工事のお知らせ"));
  CHECK(NoticeTitles(p, r.hana, "00000008004").empty());
  p.UseCookie(r.hana);
  CHECK(p.Get("/api/v1/notices").body["notices"].empty());
  p.UseCookie(r.taro);
  auto top = p.Get("/api/v1/notices").body["notices"];
  REQUIRE(top.size() == 1);
  CHECK(top[0]["body"] == "12月1日 9:00〜12:00\n本町1丁目で配水管の工事を行います。");
  CHECK(top[0]["customer_number"] == "00000008002");

  // Posted again (a double click): the same notice, nothing new stored or mailed.
  auto again = supervisor.Post("/api/v1/staff/notices", notice);
  REQUIRE(again.status == 200);
  CHECK(again.body["duplicate"] == true);
  CHECK(again.body["id"] == id);
  CHECK(NoticeTitles(p, r.taro, "00000008002").size() == 1);
  CHECK(OutboxCount(p, "bureau_notice", "taro@example.jp") == 1);
  CHECK(OutboxCount(p, "bureau_notice", "hana@example.jp") == 0);
  auto mail = MailWith(p, "taro@example.jp", 2, "配水管工事");
  REQUIRE(mail.is_object());
  CHECK(mail["subject"] == "【水守】本町1丁目 配水管工事のお知らせ");

  // The list with counts, and the audit entry.
  auto list = supervisor.Get("/api/v1/staff/notices");
  REQUIRE(list.body["items"].size() == 1);
  CHECK(list.body["items"][0]["target"] == "district");
  CHECK(list.body["items"][0]["target_detail"] == "水守市本町1-2");
  CHECK(list.body["items"][0]["contracts"] == 1);
  CHECK(list.body["items"][0]["staff"] == kSupervisor);
  CHECK(AuditCount(p, "notice_published") == 1);
  auto log = supervisor.Get("/api/v1/staff/audit?staff=" + kSupervisor).body["items"][0];
  CHECK(log["action"] == "notice_published");
  CHECK(log["reason"] == "本町1丁目 配水管工事のお知らせ");
  CHECK(Contains(log["target"].get<std::string>(),
                 "#" + std::to_string(id) + " bureau district 水守市本町1-2"));

  // A district no contract is in: refused, nothing stored.
  json nowhere = notice;
  nowhere["district"] = "水守市北区";
  auto none = supervisor.Post("/api/v1/staff/notices", nowhere);
  CHECK(none.status == 400);
  CHECK(none.body["error"]["fields"]["district"]["code"] == "notice_no_contracts");
}

TEST_CASE(
    "staff work: a notice to a list names each unknown customer number, and the texts and period are "
    "checked",
    "[staff]") {
  Portal p;
  StaffDesk supervisor(p);
  supervisor.EnrolAndLogin(kSupervisor, StaffRole::kSupervisor);
  json notice = {{"title_ja", "メーター交換のお知らせ"},
                 {"body_ja", "メーターを交換します。"},
                 {"target", "list"},
                 {"customer_numbers", {"0-0000008002", "99999999999", "12", "０００００００８００４"}}};
  auto bad = supervisor.Post("/api/v1/staff/notices", notice);
  REQUIRE(bad.status == 400);
  const auto& fields = bad.body["error"]["fields"];
  CHECK(fields["customer_numbers[1]"]["code"] == "contract_not_found");
  CHECK(fields["customer_numbers[2]"]["code"] == "customer_number_invalid");
  CHECK_FALSE(fields.contains("customer_numbers[0]"));
  CHECK_FALSE(fields.contains("customer_numbers[3]"));
  CHECK(supervisor.Post("/api/v1/staff/notices/preview", notice).status == 400);
  CHECK(supervisor.Get("/api/v1/staff/notices").body["items"].empty());

  // As pasted from a spreadsheet: one string, any separators and widths; each contract once.
  notice["customer_numbers"] = "0-0000008002、０００００００８００４\n0-0000008002";
  auto preview = supervisor.Post("/api/v1/staff/notices/preview", notice);
  REQUIRE(preview.status == 200);
  CHECK(preview.body["contracts"] == 2);
  CHECK(preview.body["mailed"] == 0);  // neither is registered
  auto published = supervisor.Post("/api/v1/staff/notices", notice);
  REQUIRE(published.status == 201);
  CHECK(published.body["contracts"] == preview.body["contracts"]);
  CHECK(published.body["target_detail"] == "00000008002,00000008004");

  // Texts and period.
  json empty = {{"target", "all"}, {"kind", "news"}, {"ends_at", "2026-11-20T09:00:00+09:00"}};
  auto e = supervisor.Post("/api/v1/staff/notices", empty);
  REQUIRE(e.status == 400);
  CHECK(e.body["error"]["fields"]["title_ja"]["code"] == "required");
  CHECK(e.body["error"]["fields"]["body_ja"]["code"] == "required");
  CHECK(e.body["error"]["fields"]["kind"]["code"] == "invalid_format");
  CHECK(e.body["error"]["fields"]["ends_at"]["code"] == "notice_period_invalid");  // before now
  CHECK(supervisor.Post("/api/v1/staff/notices", {{"target", "everyone"}})
            .body["error"]["fields"]["target"]["code"] == "invalid_format");
  // A start typed with the wrong year (the clock is 2026-11-20) and an end five years out: refused, not kept
  // where no one sees them.
  json far = {{"target", "all"},
              {"title_ja", "断水"},
              {"body_ja", "工事のため"},
              {"published_at", "9999-12-31T23:59:59Z"},
              {"ends_at", "9999-12-31T23:59:59Z"}};
  auto bad_period = supervisor.Post("/api/v1/staff/notices", far);
  CHECK(bad_period.body["error"]["fields"]["published_at"]["code"] == "notice_period_invalid");
  CHECK(bad_period.body["error"]["fields"]["ends_at"]["code"] == "notice_period_invalid");
  far["published_at"] = "2026-11-01T09:00:00+09:00";  // three weeks back
  far.erase("ends_at");
  CHECK(supervisor.Post("/api/v1/staff/notices", far).body["error"]["fields"]["published_at"]["code"] ==
        "notice_period_invalid");
  far["published_at"] = "2026-12-01T09:00:00+09:00";  // ten days ahead: fine (shown from then)
  CHECK(supervisor.Post("/api/v1/staff/notices/preview", far).status == 200);
  CHECK(AuditCount(p, "notice_published") == 1);
}

TEST_CASE(
    "staff work: an outage notice is mailed only to accounts with outage mail on, shows in every reached "
    "contract and ends when it says",
    "[staff]") {
  Portal p;
  const Residents r = TwoResidents(p);
  StaffDesk supervisor(p);
  supervisor.EnrolAndLogin(kSupervisor, StaffRole::kSupervisor);
  // hana turns 断水・濁水 mail off; the settings list the kind.
  p.UseCookie(r.hana);
  auto settings = p.Send("PUT", "/api/v1/me/notification-settings", {{"email", {{"outage", false}}}});
  REQUIRE(settings.status == 200);
  CHECK(settings.body["email"]["outage"] == false);
  CHECK(settings.body["email"]["bureau"] == true);
  p.UseCookie(r.taro);
  CHECK(p.Get("/api/v1/me/notification-settings").body["email"]["outage"] == true);

  const json outage = {{"kind", "outage"},
                       {"title_ja", "断水のお知らせ"},
                       {"body_ja", "水道管の破損により、断水しています。"},
                       {"title_en", "Water outage"},
                       {"target", "all"},
                       {"ends_at", "2026-11-24T12:00:00+09:00"}};
  auto preview = supervisor.Post("/api/v1/staff/notices/preview", outage);
  REQUIRE(preview.status == 200);
  CHECK(preview.body["contracts"] == 3);  // 8002, 8004, 8006 — 8008 is closed
  CHECK(preview.body["mailed"] == 1);     // taro; hana turned outage mail off
  auto published = supervisor.Post("/api/v1/staff/notices", outage);
  REQUIRE(published.status == 201);
  CHECK(published.body["contracts"] == 3);
  CHECK(published.body["mailed"] == 1);
  CHECK(OutboxCount(p, "outage_notice", "taro@example.jp") == 1);
  CHECK(OutboxCount(p, "outage_notice", "hana@example.jp") == 0);
  // Both see it (turning mail off stops the mail, not the notice), of its own kind.
  CHECK(Has(NoticeTitles(p, r.taro, "00000008002"), "断水のお知らせ"));
  CHECK(Has(NoticeTitles(p, r.hana, "00000008004"), "断水のお知らせ"));
  p.UseCookie(r.hana);
  CHECK(p.Get("/api/v1/contracts/00000008004/notices").body["notices"][0]["kind"] == "outage");
  auto mail = MailWith(p, "taro@example.jp", 2, "断水");
  REQUIRE(mail.is_object());
  CHECK(mail["subject"] == "【水守】断水・濁水のお知らせ：断水のお知らせ");

  // A bureau notice still reaches hana's mailbox: only the outage kind is off.
  auto bureau = supervisor.Post("/api/v1/staff/notices", {{"title_ja", "窓口の年末年始のお知らせ"},
                                                          {"body_ja", "12月29日から1月3日まで休みます。"},
                                                          {"target", "all"}});
  REQUIRE(bureau.status == 201);
  CHECK(bureau.body["mailed"] == 2);
  CHECK(OutboxCount(p, "bureau_notice", "hana@example.jp") == 1);

  CHECK(AuditCount(p, "notice_published") == 2);
  auto list = supervisor.Get("/api/v1/staff/notices").body["items"];
  REQUIRE(list.size() == 2);
  CHECK(list[1]["kind"] == "outage");
  CHECK(list[1]["ends_at"] == "2026-11-24T12:00:00+09:00");
  CHECK(list[1]["mailed"] == 1);

  // After its end the outage notice is no longer shown.
  At(p, "2026-11-24T12:00:00+09:00", "taro@example.jp");
  auto after = NoticeTitles(p, p.Cookie(), "00000008002");
  CHECK_FALSE(Has(after, "断水のお知らせ"));
  CHECK(Has(after, "窓口の年末年始のお知らせ"));
}
