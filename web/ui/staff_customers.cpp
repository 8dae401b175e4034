// お客さま検索 (the staff console's home, docs/staff.md "Answering a call"): find a customer by what the
// caller can tell (GET /api/v1/staff/customers), open one, and act on it with a reason — 送信履歴 and
// 認証コードの再送 (「コードが届かない」), すべてのログインを終了, 紙のお知らせ on/off,
// パスワード再設定メール, and 退会 (supervisor, after a confirmation). What was sent to an address no account
// has yet (a sign-up in progress) is looked up from the same search box.
#include "imgui.h"
#include "mizu/json_fields.hpp"
#include "mizu/text.hpp"
#include "mizu/time.hpp"
#include "platform/http_client.hpp"
#include "platform/text_input.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/data.hpp"
#include "ui/staff_common.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

StaffCustomerRow ReadRow(const nlohmann::json& j) {
  StaffCustomerRow r;
  r.customer_number = FieldOr(j, "customer_number", "");
  r.display_number = FieldOr(j, "display_number", "");
  r.holder_name = FieldOr(j, "holder_name", "");
  r.holder_kana = FieldOr(j, "holder_kana", "");
  r.address = FieldOr(j, "address", "");
  r.bureau_phone = FieldOr(j, "bureau_phone", "");
  r.login = FieldOr(j, "login", "");
  r.relationship = FieldOr(j, "relationship", "");
  r.smart_meter = FieldOr(j, "smart_meter", false);
  r.paper_notice = FieldOr(j, "paper_notice", true);
  r.watched = FieldOr(j, "watched", false);
  r.account_id = FieldOr(j, "account_id", int64_t{0});
  r.visible_from = Instant(j, "visible_from");
  r.sessions = FieldOr(j, "sessions", 0);
  return r;
}

// keep_done: a refresh after an action keeps its success line.
void Search(AppState& app, bool keep_done = false) {
  StaffState& s = app.staff;
  s.errors.Clear();
  if (!keep_done) s.done_key.clear();
  s.query = NormalizeText(s.query);
  if (s.query.empty()) return s.errors.SetField("q", err::kRequired);
  Api(app, "GET", "/api/v1/staff/customers?q=" + QueryValue(s.query), nullptr,
      [&app](const ApiReply& r) {
        StaffState& s = app.staff;
        if (!r.ok()) return s.errors.Set(r.error);
        s.rows.clear();
        for (const auto& j : ArrayField(r.json, "items")) s.rows.push_back(ReadRow(j));
        s.searched = true;
        s.open = s.rows.size() == 1 ? 0 : -1;
        s.messages_loaded = false;
        s.confirm_withdraw = false;
      },
      {.staff = true});
}

// The open customer's account: 通知受信設定 and each contract's watch, as label → value lines.
void LoadAccountView(AppState& app, int64_t account_id) {
  StaffState& s = app.staff;
  s.account_loading = true;
  Api(app, "GET", "/api/v1/staff/accounts/" + std::to_string(account_id), nullptr,
      [&app, account_id](const ApiReply& r) {
        StaffState& s = app.staff;
        s.account_loading = false;
        s.account_shown = account_id;
        s.account_lines.clear();
        if (!r.ok()) return;
        const Lang lang = app.lang;
        std::string notices;
        for (const char* kind : {"meter_reading", "payment", "bureau", "outage"}) {
          const auto on = FieldOr(FieldOr(r.json, "email_notices", nlohmann::json::object()), kind, true);
          notices += (notices.empty() ? "" : "\n") + std::string(Tr(lang, std::string("nsettings.") + kind)) +
                     "：" + std::string(Tr(lang, on ? "staff.notice_on" : "staff.notice_off"));
        }
        s.account_lines.push_back({std::string(Tr(lang, "staff.account.notices")), notices});
        for (const auto& c : ArrayField(r.json, "contracts")) {
          const auto watch = FieldOr(c, "watch", nlohmann::json());
          const std::string label =
              Format(Tr(lang, "staff.account.watch"), {{"number", FieldOr(c, "display_number", "")}});
          if (!watch.is_object()) {
            s.account_lines.push_back({label, std::string(Tr(lang, "staff.no"))});
            continue;
          }
          std::string hours;
          for (const auto& h : ArrayField(watch, "start_hours"))
            if (h.is_number_integer())
              hours += (hours.empty() ? "" : "・") +
                       Format(Tr(lang, "staff.account.hour"), {{"hour", std::to_string(h.get<int>())}});
          std::string value = Format(Tr(lang, "staff.account.hours"), {{"hours", hours}});
          for (const auto& rcp : ArrayField(watch, "recipients")) {
            value += "\n" + FieldOr(rcp, "name", "") + "　" + FieldOr(rcp, "email", "");
            if (FieldOr(rcp, "stopped", false)) value += std::string(Tr(lang, "staff.account.stopped"));
          }
          s.account_lines.push_back({label, value});
        }
      },
      {.staff = true});
}

// What was sent to `to` (an address or number), or to the open account's login ID (account_id > 0).
void LoadMessages(AppState& app, const std::string& to, int64_t account_id) {
  StaffState& s = app.staff;
  s.errors.Clear();
  const std::string url = account_id ? "/api/v1/staff/messages?account_id=" + std::to_string(account_id)
                                     : "/api/v1/staff/messages?to=" + QueryValue(to);
  Api(app, "GET", url, nullptr,
      [&app](const ApiReply& r) {
        StaffState& s = app.staff;
        if (!r.ok()) return s.errors.Set(r.error);
        s.messages_to = FieldOr(r.json, "to", "");
        s.messages.clear();
        for (const auto& j : ArrayField(r.json, "items")) {
          StaffMessageRow m;
          m.kind = FieldOr(j, "kind", "");
          m.channel = FieldOr(j, "channel", "");
          m.subject = FieldOr(j, "subject", "");
          m.state = FieldOr(j, "state", "");
          m.queued_at = Instant(j, "queued_at");
          m.next_attempt_at = Instant(j, "next_attempt_at");
          for (const auto& a : ArrayField(j, "attempts"))
            m.attempts.push_back({Instant(a, "at"), FieldOr(a, "outcome", ""), FieldOr(a, "answer", "")});
          s.messages.push_back(std::move(m));
        }
        s.messages_loaded = true;
      },
      {.staff = true});
}

void LoadBills(AppState& app, const std::string& cn);

// An action on the open customer: checks the reason here (the server checks it again), then refreshes.
void Act(AppState& app, const std::string& method, const std::string& url, nlohmann::json body,
         const char* done_key) {
  StaffState& s = app.staff;
  s.errors.Clear();
  s.done_key.clear();
  s.reason = NormalizeText(s.reason);
  if (s.reason.empty()) return s.errors.SetField("reason", err::kRequired);
  body["reason"] = s.reason;
  Api(app, method, url, body,
      [&app, done_key](const ApiReply& r) {
        StaffState& s = app.staff;
        if (!r.ok()) return s.errors.Set(r.error);
        s.done_key = done_key;
        s.reason.clear();
        s.confirm_withdraw = false;
        const std::string to = s.messages_to;
        const bool refresh_messages = s.messages_loaded;
        s.account_shown = 0;  // reloaded with the row
        if (!s.bills_for.empty()) LoadBills(app, s.bills_for);
        Search(app, true);  // the row shows the new state (sessions, paper, account)
        if (refresh_messages && !to.empty()) LoadMessages(app, to, 0);
      },
      {.staff = true});
}

void LoadBills(AppState& app, const std::string& cn) {
  Api(app, "GET", "/api/v1/staff/contracts/" + cn + "/bills", nullptr,
      [&app, cn](const ApiReply& r) {
        StaffState& s = app.staff;
        if (!r.ok()) return s.errors.Set(r.error);
        s.bills.clear();
        for (const auto& j : ArrayField(r.json, "bills"))
          s.bills.push_back({FieldOr(j, "reading_date", ""), FieldOr(j, "due_date", ""),
                             FieldOr(j, "payment_method", ""), FieldOr(j, "unavailable", ""),
                             FieldOr(j, "deadline", ""), FieldOr<int64_t>(j, "total", 0),
                             FieldOr<int64_t>(j, "paid", 0), FieldOr<int64_t>(j, "reissue", 0)});
        s.bills_for = cn;
      },
      {.staff = true});
}

// 料金のお支払い: the unpaid bills of the open customer, each with its codes' state; a bill whose codes are
// past their deadline can be reissued (the reason field above is the audit's).
void DrawBills(AppState& app, AppContext& ctx, const std::string& cn, bool idle) {
  auto& reg = ctx.registry;
  const Lang lang = app.lang;
  StaffState& s = app.staff;
  if (s.bills_for != cn) {
    if (ui::Button(reg, "staff.bills", Tr(lang, "staff.bills"), ui::ButtonKind::kSecondary, idle))
      LoadBills(app, cn);
    return;
  }
  ui::Heading(reg, "staff.bills.title", Tr(lang, "staff.bills.title"));
  if (s.bills.empty()) ui::Text(reg, "staff.bills.none", Tr(lang, "staff.bills.none"), true);
  for (size_t i = 0; i < s.bills.size(); ++i) {
    const StaffState::UnpaidBill& b = s.bills[i];
    const std::string id = "staff.bill." + std::to_string(i);
    std::string state = b.unavailable.empty()
                            ? Format(Tr(lang, "staff.bills.until"), {{"date", FormatDay(lang, b.deadline)}})
                            : std::string(Tr(lang, "staff.bills.state." + b.unavailable));
    if (b.reissue > 0) state += Format(Tr(lang, "staff.bills.reissued"), {{"n", std::to_string(b.reissue)}});
    ui::Field(reg, id,
              Format(Tr(lang, "staff.bills.row"),
                     {{"period", PeriodName(lang, b.reading_date)}, {"amount", Yen(lang, b.total - b.paid)}}),
              state);
    if (b.unavailable == "past_deadline" &&
        ui::Button(reg, (id + ".reissue").c_str(), Tr(lang, "staff.bills.reissue"),
                   ui::ButtonKind::kSecondary, idle))
      Act(app, "POST", "/api/v1/staff/contracts/" + cn + "/bills/" + b.reading_date + "/reissue",
          nlohmann::json::object(), "staff.bills.reissue.done");
  }
}

bool IsCodeKind(const std::string& kind) {
  return kind == "signup_code" || kind == "reset_code" || kind == "email_code" || kind == "staff_reset_code";
}

void DrawMessages(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  const Lang lang = app.lang;
  StaffState& s = app.staff;
  if (!s.messages_loaded) return;
  ui::Heading(reg, "staff.messages.title", Format(Tr(lang, "staff.messages.title"), {{"to", s.messages_to}}));
  if (s.messages.empty()) ui::Text(reg, "staff.messages.none", Tr(lang, "staff.messages.none"), true);
  bool any_code = false;
  for (size_t i = 0; i < s.messages.size(); ++i) {
    const StaffMessageRow& m = s.messages[i];
    any_code = any_code || IsCodeKind(m.kind);
    const std::string id = "staff.message." + std::to_string(i);
    const std::string kind_key = "staff.kind." + m.kind;
    const std::string_view known = Tr(lang, kind_key);
    const std::string kind = known == kind_key ? m.kind : std::string(known);
    std::string state = std::string(Tr(lang, "staff.state." + m.state));
    if (m.state == "retry_waiting" && m.next_attempt_at)
      state += Format(Tr(lang, "staff.state.next"), {{"when", FormatDateTime(lang, m.next_attempt_at)}});
    ui::Field(
        reg, id,
        Format(Tr(lang, "staff.with_time"), {{"what", kind}, {"when", FormatDateTime(lang, m.queued_at)}}),
        state);
    for (size_t k = 0; k < m.attempts.size(); ++k) {
      const StaffAttempt& a = m.attempts[k];
      std::string line =
          FormatDateTime(lang, a.at) + "　" + std::string(Tr(lang, "staff.outcome." + a.outcome));
      if (!a.answer.empty()) line += "　" + a.answer;
      ui::Text(reg, (id + ".attempt." + std::to_string(k)).c_str(), line, true);
    }
  }
  if (!any_code) return;
  ImGui::Spacing();
  ui::Text(reg, "staff.resend.hint", Tr(lang, "staff.resend.hint"), true);
  if (ui::Button(reg, "staff.resend", Tr(lang, "staff.resend"), ui::ButtonKind::kSecondary,
                 PendingRequests() == 0))
    Act(app, "POST", "/api/v1/staff/messages/resend-code", {{"to", s.messages_to}}, "staff.resend.done");
}

void DrawCustomer(AppState& app, AppContext& ctx, const StaffCustomerRow& r) {
  auto& reg = ctx.registry;
  const Lang lang = app.lang;
  StaffState& s = app.staff;
  const bool idle = PendingRequests() == 0;
  ui::Heading(reg, "staff.customer.title", r.holder_name + "（" + r.display_number + "）");
  ui::Field(reg, "staff.customer.kana", Tr(lang, "staff.customer.kana"), r.holder_kana);
  ui::Field(reg, "staff.customer.address", Tr(lang, "staff.customer.address"), r.address);
  ui::Field(reg, "staff.customer.phone", Tr(lang, "staff.customer.phone"), r.bureau_phone);
  ui::Field(reg, "staff.customer.meter", Tr(lang, "staff.customer.meter"),
            Tr(lang, r.smart_meter ? "staff.yes" : "staff.no"));
  ui::Field(reg, "staff.customer.paper", Tr(lang, "staff.customer.paper"),
            Tr(lang, r.paper_notice ? "staff.paper.on" : "staff.paper.off"));
  if (r.account_id) {
    ui::Field(reg, "staff.customer.login", Tr(lang, "staff.customer.login"), r.login);
    ui::Field(reg, "staff.customer.relationship", Tr(lang, "staff.customer.relationship"),
              Tr(lang, "contracts.relationship." + r.relationship));
    ui::Field(reg, "staff.customer.visible_from", Tr(lang, "staff.customer.visible_from"),
              FormatDateTime(lang, r.visible_from));
    ui::Field(reg, "staff.customer.sessions", Tr(lang, "staff.customer.sessions"),
              std::to_string(r.sessions));
    // The account's settings and watch, loaded once per opened account (and after each action).
    if (s.account_shown != r.account_id && !s.account_loading) LoadAccountView(app, r.account_id);
    for (size_t i = 0; i < s.account_lines.size() && s.account_shown == r.account_id; ++i)
      ui::Field(reg, "staff.account." + std::to_string(i), s.account_lines[i].first,
                s.account_lines[i].second);
  } else {
    ui::Text(reg, "staff.customer.unregistered", Tr(lang, "staff.customer.unregistered"), true);
  }
  ImGui::Spacing();
  ui::InputText(reg, "staff.reason", Tr(lang, "staff.reason"), s.reason,
                {.max_bytes = 800, .error = s.errors.Field(lang, "reason"), .required = true});
  ui::ErrorText(reg, "staff.error", s.errors.Notice(lang));
  if (!s.done_key.empty()) ui::SuccessText(reg, "staff.done", Tr(lang, s.done_key));
  const std::string cn = r.customer_number;
  if (ui::Button(reg, "staff.paper", Tr(lang, r.paper_notice ? "staff.paper.stop" : "staff.paper.start"),
                 ui::ButtonKind::kSecondary, idle))
    Act(app, "PUT", "/api/v1/staff/contracts/" + cn + "/paper-notice", {{"paper", !r.paper_notice}},
        "staff.paper.done");
  DrawBills(app, ctx, cn, idle);
  if (!r.account_id) return;
  const std::string account = "/api/v1/staff/accounts/" + std::to_string(r.account_id);
  if (ui::Button(reg, "staff.messages", Tr(lang, "staff.messages"), ui::ButtonKind::kSecondary, idle))
    LoadMessages(app, "", r.account_id);
  if (ui::Button(reg, "staff.end_sessions", Tr(lang, "staff.end_sessions"), ui::ButtonKind::kSecondary, idle))
    Act(app, "POST", account + "/sessions/end", nlohmann::json::object(), "staff.end_sessions.done");
  if (ui::Button(reg, "staff.reset_mail", Tr(lang, "staff.reset_mail"), ui::ButtonKind::kSecondary, idle))
    Act(app, "POST", account + "/password-reset", nlohmann::json::object(), "staff.reset_mail.done");
  if (s.role < kRoleSupervisor) return;  // 退会 is the supervisor's
  if (!s.confirm_withdraw) {
    if (ui::Button(reg, "staff.withdraw", Tr(lang, "staff.withdraw"), ui::ButtonKind::kDanger, idle))
      s.confirm_withdraw = true;
    return;
  }
  ui::ErrorText(reg, "staff.withdraw.confirm", Tr(lang, "staff.withdraw.confirm"));
  if (ui::Button(reg, "staff.withdraw.yes", Tr(lang, "staff.withdraw.yes"), ui::ButtonKind::kDanger, idle))
    Act(app, "POST", account + "/withdraw", nlohmann::json::object(), "staff.withdraw.done");
  if (ui::Button(reg, "staff.withdraw.no", Tr(lang, "app.no"), ui::ButtonKind::kCancel))
    s.confirm_withdraw = false;
}

}  // namespace

void DrawStaff(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  const Lang lang = app.lang;
  StaffState& s = app.staff;
  StaffPage(app, ctx, "staff.search.title");
  ui::InputText(reg, "staff.search.q", Tr(lang, "staff.search.q"), s.query,
                {.max_bytes = 254, .error = s.errors.Field(lang, "q")});
  ui::Text(reg, "staff.search.hint", Tr(lang, "staff.search.hint"), true);
  const bool idle = PendingRequests() == 0;
  if (ui::Button(reg, "staff.search.submit", Tr(lang, "staff.search.submit"), ui::ButtonKind::kPrimary, idle))
    Search(app);
  // An address or mobile number: what was sent there, whether or not an account has it yet.
  LoginId id;
  if (!CheckLoginId(s.query, id) &&
      ui::Button(reg, "staff.search.messages", Tr(lang, "staff.search.messages"), ui::ButtonKind::kSecondary,
                 idle)) {
    s.query = id.value;
    s.done_key.clear();
    LoadMessages(app, id.value, 0);
  }
  if (s.open < 0) ui::ErrorText(reg, "staff.search.error", s.errors.Notice(lang));
  if (s.searched) {
    ImGui::Spacing();
    if (s.rows.empty()) ui::Text(reg, "staff.search.none", Tr(lang, "staff.search.none"), true);
    for (size_t i = 0; i < s.rows.size() && s.rows.size() > 1; ++i) {
      const StaffCustomerRow& r = s.rows[i];
      if (ui::MenuRow(reg, "staff.result." + std::to_string(i),
                      r.holder_name + "（" + r.display_number + "）", r.address)) {
        s.open = static_cast<int>(i);
        s.messages_loaded = false;
        s.confirm_withdraw = false;
        s.done_key.clear();
      }
    }
  }
  if (s.open >= 0 && s.open < static_cast<int>(s.rows.size())) {
    ImGui::Spacing();
    ImGui::Separator();
    DrawCustomer(app, ctx, s.rows[s.open]);
  } else if (!s.done_key.empty()) {
    ui::SuccessText(reg, "staff.done", Tr(lang, s.done_key));
  }
  ImGui::Spacing();
  DrawMessages(app, ctx);
  if (s.open < 0 && s.messages_loaded) ui::ErrorText(reg, "staff.error", s.errors.Notice(lang));
}

}  // namespace mizu::web
