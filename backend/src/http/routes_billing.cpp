// Resident routes of ご利用実績 / お支払い実績 / お知らせ / 通知受信設定 (M10–M13): bills, payments,
// smart-meter usage and notices per contract (the caller's, once visible), the top screen's notices,
// notification settings.
#include <algorithm>

#include "guard.hpp"
#include "mizu/backend/billing.hpp"
#include "mizu/backend/notices.hpp"
#include "mizu/format.hpp"
#include "mizu/time.hpp"

namespace mizu::backend::http {
namespace {

using ContractHandler =
    std::function<void(const httplib::Request&, httplib::Response&, const Caller&, const ContractView&)>;

// 403 not_yet_visible with the exact opening time: "visible_from" (ISO, JST) and the message saying it.
void SendNotYetVisible(const httplib::Request& req, httplib::Response& res, int64_t visible_from) {
  Lang lang = RequestLang(req);
  nlohmann::json body = api::MakeErrorBody(lang, err::kNotYetVisible);
  body["error"]["message"] =
      Format(Tr(lang, "billing.not_yet_visible_at"), {{"when", FormatDateTime(lang, visible_from)}});
  body["error"]["visible_from"] = FormatIsoJst(visible_from);
  SendJson(res, 403, body);
}

// The route's {cn} (first match) as the caller's contract whose data is visible now, then the handler.
httplib::Server::Handler WithVisibleContract(App& app, ContractHandler handler) {
  return WithAccount(
      app, [&app, handler](const httplib::Request& req, httplib::Response& res, const Caller& c) {
        try {
          ContractView contract =
              RequireVisibleContract(app, c.session.account_id, req.matches[1], app.clock.Now());
          handler(req, res, c, contract);
        } catch (const NotYetVisibleError& e) {
          SendNotYetVisible(req, res, e.visible_from);
        }
      });
}

nlohmann::json ContractHead(const ContractView& c) {
  return {
      {"customer_number", c.customer_number}, {"display_number", c.display_number}, {"address", c.address}};
}

nlohmann::json BillJson(const BillView& b) {
  std::string status = b.paid >= b.total ? "paid" : b.paid > 0 ? "partial" : "unpaid";
  return {{"reading_date", b.reading_date},
          {"period_start", b.period_start},
          {"period_end", b.period_end},
          {"prev_reading", b.prev_reading},
          {"curr_reading", b.curr_reading},
          {"usage_m3", b.usage_m3},
          {"water_charge", b.water_charge},
          {"sewer_charge", b.sewer_charge},
          {"tax", b.tax},
          {"total", b.total},
          {"due_date", b.due_date},
          {"payment_method", b.payment_method},
          {"paid", b.paid},
          {"status", status}};
}

nlohmann::json Volume(const std::optional<int64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json UsageJson(const ContractView& c, const UsageSeries& s) {
  nlohmann::json j = ContractHead(c);
  bool hourly = s.range.step == UsageStep::kHour;
  j["step"] = hourly ? "hour" : "day";
  j["from"] = FormatIsoJst(s.range.from_utc);
  j["to"] = FormatIsoJst(s.range.to_utc);
  j["until"] = FormatIsoJst(std::max(s.until_utc, s.range.from_utc));
  j["unit"] = "L";
  j["hours_expected"] = s.hours_expected;
  j["hours_present"] = s.hours_present;
  j["hours_missing"] = s.hours_expected - s.hours_present;
  j["volume_l"] = s.hours_present ? nlohmann::json(s.volume_l) : nlohmann::json(nullptr);
  j["complete"] = s.hours_expected > 0 && s.hours_present == s.hours_expected;
  nlohmann::json items = nlohmann::json::array();
  for (const auto& h : s.hours)
    items.push_back({{"start", FormatIsoJst(h.hour_end_utc - 3600)},
                     {"end", FormatIsoJst(h.hour_end_utc)},
                     {"volume_l", Volume(h.volume_l)},
                     {"status", h.volume_l  ? "measured"
                                : h.anomaly ? "anomaly"
                                : h.reset   ? "reset"
                                            : "missing"}});
  for (const auto& d : s.days)
    items.push_back({{"date", FormatDate(d.date)},
                     {"volume_l", Volume(d.volume_l)},
                     {"hours_present", d.hours_present},
                     {"hours_expected", d.hours_expected},
                     {"complete", d.hours_present == d.hours_expected},
                     {"reset", d.reset},
                     {"hours_anomaly", d.hours_anomaly}});
  j["items"] = items;
  return j;
}

nlohmann::json NoticesJson(const NoticeList& list, const CustomerNumberFormat& fmt) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& n : list.notices)
    items.push_back(
        {{"id", n.id},
         {"kind", n.kind},
         {"customer_number",
          n.customer_number.empty() ? nlohmann::json(nullptr) : nlohmann::json(n.customer_number)},
         {"display_number", n.customer_number.empty() ? "" : FormatCustomerNumber(n.customer_number, fmt)},
         {"title", n.title},
         {"body", n.body},
         {"published_at", FormatIsoJst(n.published_at)},
         {"read", n.read}});
  return {{"unread", list.unread}, {"notices", items}};
}

nlohmann::json SettingsJson(const NotificationSettings& s) {
  nlohmann::json email = nlohmann::json::object();
  for (const auto& [kind, on] : s.email) email[kind] = on;
  return {{"lang", s.lang}, {"email", email}};
}

std::string Param(const httplib::Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : "";
}

}  // namespace

void RegisterBillingRoutes(httplib::Server& server, App& app) {
  const std::string contract = R"(/api/v1/contracts/([^/]+))";

  server.Get(contract + "/bills",
             WithVisibleContract(app, [&app](const httplib::Request&, httplib::Response& res, const Caller&,
                                             const ContractView& c) {
               nlohmann::json bills = nlohmann::json::array();
               for (const auto& b : ListBills(app, c.customer_number)) bills.push_back(BillJson(b));
               nlohmann::json j = ContractHead(c);
               j["periods"] = kHistoryPeriods;
               j["bills"] = bills;
               SendJson(res, 200, j);
             }));

  server.Get(contract + "/payments",
             WithVisibleContract(app, [&app](const httplib::Request&, httplib::Response& res, const Caller&,
                                             const ContractView& c) {
               nlohmann::json payments = nlohmann::json::array();
               for (const auto& p : ListPayments(app, c.customer_number))
                 payments.push_back({{"reading_date", p.reading_date},
                                     {"period_start", p.period_start},
                                     {"period_end", p.period_end},
                                     {"bill_total", p.bill_total},
                                     {"amount", p.amount},
                                     {"paid_on", p.paid_on},
                                     {"method", p.method}});
               nlohmann::json j = ContractHead(c);
               j["payments"] = payments;
               SendJson(res, 200, j);
             }));

  server.Get(contract + "/usage",
             WithVisibleContract(app, [&app](const httplib::Request& req, httplib::Response& res,
                                             const Caller&, const ContractView& c) {
               int64_t now = app.clock.Now();
               if (!c.smart_meter) throw ServiceError(409, err::kNotSmartMeter);
               UsageRange range =
                   ParseUsageRange(Param(req, "step"), Param(req, "from"), Param(req, "to"), now);
               SendJson(res, 200, UsageJson(c, ContractUsage(app, c, range, now)));
             }));

  server.Get(contract + "/notices",
             WithVisibleContract(app, [&app](const httplib::Request& req, httplib::Response& res,
                                             const Caller& caller, const ContractView& c) {
               auto list = ListContractNotices(app, caller.session.account_id, c.customer_number,
                                               RequestLang(req), app.clock.Now());
               SendJson(res, 200, NoticesJson(list, app.config.utility.customer_number));
             }));

  server.Post(contract + R"(/notices/([0-9]{1,18})/read)",
              WithVisibleContract(app, [&app](const httplib::Request& req, httplib::Response& res,
                                              const Caller& caller, const ContractView& c) {
                MarkNoticeRead(app, caller.session.account_id, c.customer_number, std::stoll(req.matches[2]),
                               app.clock.Now());
                res.status = 204;
              }));

  server.Get(
      "/api/v1/notices",
      WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
        auto list = ListAccountNotices(app, caller.session.account_id, RequestLang(req), app.clock.Now());
        SendJson(res, 200, NoticesJson(list, app.config.utility.customer_number));
      }));

  server.Get("/api/v1/me/notification-settings",
             WithAccount(app, [&app](const httplib::Request&, httplib::Response& res, const Caller& caller) {
               SendJson(res, 200, SettingsJson(GetNotificationSettings(app, caller.session.account_id)));
             }));

  server.Put(
      "/api/v1/me/notification-settings",
      WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
        nlohmann::json body = ReadJsonBody(req);
        NotificationSettingsUpdate update;
        std::vector<FieldError> errors;
        if (body.contains("lang")) {
          if (body["lang"].is_string())
            update.lang = body["lang"].get<std::string>();
          else
            errors.push_back({std::string(err::kInvalidFormat), "lang"});
        }
        if (body.contains("email")) {
          const auto& email = body["email"];
          if (!email.is_object())
            errors.push_back({std::string(err::kInvalidFormat), "email"});
          else
            for (const auto& [kind, on] : email.items()) {
              bool known = std::find(kNoticeKinds.begin(), kNoticeKinds.end(), kind) != kNoticeKinds.end();
              if (known && on.is_boolean())
                update.email[kind] = on.get<bool>();
              else
                errors.push_back({std::string(err::kInvalidFormat), "email." + kind});
            }
        }
        if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);
        auto settings = UpdateNotificationSettings(app, caller.session.account_id, update, app.clock.Now());
        SendJson(res, 200, SettingsJson(settings));
      }));
}

}  // namespace mizu::backend::http
