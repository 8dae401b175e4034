// Resident routes of ご利用実績 / お支払い実績 / お知らせ / 通知受信設定 (M10–M13): bills, payments,
// smart-meter usage and notices per contract (the caller's, once visible), the top screen's notices,
// notification settings.
#include <algorithm>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <stdexcept>
#include <string_view>

#include "guard.hpp"
#include "json_writer.hpp"
#include "mizu/backend/billing.hpp"
#include "mizu/backend/notices.hpp"
#include "mizu/backend/payment_codes.hpp"
#include "mizu/format.hpp"
#include "mizu/time.hpp"

namespace mizu::backend::http {
namespace {

// A usage range longer than this (31 days) is a long read: app.long_reads.
constexpr int64_t kLongReadSeconds = int64_t{31} * 86400;
// When the lane is full: 503 busy, try again after this.
constexpr int64_t kLongReadRetryAfterSeconds = 2;

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

// The members of ContractHead, written into an open object.
void WriteContractHead(JsonWriter& w, const ContractView& c) {
  w.Key("customer_number").String(c.customer_number);
  w.Key("display_number").String(c.display_number);
  w.Key("address").String(c.address);
}

// "payment_codes" of a bill (payment_codes.hpp PaymentCodes; docs/api.md).
void WritePaymentCodes(JsonWriter& w, const PaymentCodes& p) {
  auto text_or_null = [&](const std::string& s) -> JsonWriter& { return s.empty() ? w.Null() : w.String(s); };
  w.BeginObject();
  w.Key("unavailable");
  text_or_null(p.unavailable);
  w.Key("barcode_unavailable");
  text_or_null(p.unavailable.empty() ? p.barcode_unavailable : std::string());
  const bool shown = p.unavailable.empty();
  w.Key("amount");
  shown ? w.Int(p.amount_yen) : w.Null();
  w.Key("deadline");
  text_or_null(shown ? FormatDate(p.deadline) : std::string());
  w.Key("reissue").Int(p.reissue);
  w.Key("konbini");
  if (p.barcode.empty()) {
    w.Null();
  } else {
    w.BeginObject().Key("barcode").String(p.barcode).Key("human_readable").BeginArray();
    for (const auto& line : p.human_readable) w.String(line);
    w.EndArray().Key("modules").String(p.modules).EndObject();
  }
  w.Key("payeasy");
  if (p.payeasy_institution_number.empty()) {
    w.Null();
  } else {
    w.BeginObject()
        .Key("institution_number")
        .String(p.payeasy_institution_number)
        .Key("customer_number")
        .String(p.payeasy_customer_number)
        .Key("confirmation_number")
        .String(p.payeasy_confirmation_number)
        .EndObject();
  }
  w.EndObject();
}

// A bill's JSON object (docs/api.md, bills) appended to `out`: its members written through a pointer into
// room made for them at once, not an append each (the bills answer writes twelve on every visit to
// お支払い実績; an append per key and value was ~40 a bill, a tenth of the route's CPU). Texts from the CIS
// are quoted and escaped as JsonWriter::String would.
void AppendBill(std::string& out, const BillView& b, const PaymentCodes& codes) {
  const std::string_view texts[] = {b.reading_date, b.period_start, b.period_end, b.due_date,
                                    b.payment_method};
  size_t room = 512;  // keys and punctuation (~220 bytes), 8 numbers of at most 20 characters, a status word
  for (std::string_view t : texts) room += 6 * t.size() + 2;  // escaped: at most 6 bytes a byte, and quotes
  const size_t start = out.size();
  out.resize(start + room);
  char* p = out.data() + start;
  const auto put = [&p](std::string_view part) {
    std::memcpy(p, part.data(), part.size());
    p += part.size();
  };
  const auto text = [&](std::string_view lead, std::string_view value) {
    put(lead);
    if (!JsonWriter::IsPlain(value)) {
      std::string escaped;
      JsonWriter::AppendQuoted(escaped, value);
      return put(escaped);
    }
    *p++ = '"';
    put(value);
    *p++ = '"';
  };
  const auto number = [&](std::string_view lead, int64_t value) {
    put(lead);
    p = std::to_chars(p, p + 20, value).ptr;  // INT64_MIN is 20 characters
  };
  text(R"({"reading_date":)", b.reading_date);
  text(R"(,"period_start":)", b.period_start);
  text(R"(,"period_end":)", b.period_end);
  number(R"(,"prev_reading":)", b.prev_reading);
  number(R"(,"curr_reading":)", b.curr_reading);
  number(R"(,"usage_m3":)", b.usage_m3);
  number(R"(,"water_charge":)", b.water_charge);
  number(R"(,"sewer_charge":)", b.sewer_charge);
  number(R"(,"tax":)", b.tax);
  number(R"(,"total":)", b.total);
  text(R"(,"due_date":)", b.due_date);
  text(R"(,"payment_method":)", b.payment_method);
  number(R"(,"paid":)", b.paid);
  text(R"(,"status":)", b.paid >= b.total ? "paid" : b.paid > 0 ? "partial" : "unpaid");
  put(R"(,"payment_codes":)");
  if (p > out.data() + start + room)
    std::abort();  // past the room: memory not ours was written, stop at once
  out.resize(static_cast<size_t>(p - out.data()));
  if (codes.unavailable == "paid") {  // null for a paid bill: nothing to pay
    out.append("null");
  } else {
    JsonWriter w(512);
    WritePaymentCodes(w, codes);
    out.append(w.Take());
  }
  out += '}';
}

// FormatIsoJst for a run of instants on the hour ("2026-11-22T05:00:00+09:00"): the date part is worked out
// once per JST day, not once per instant, and nothing is allocated (a week by hour writes 336 of them).
class HourStamps {
 public:
  std::string_view At(int64_t utc) {
    if (utc % 3600 != 0) return other_ = FormatIsoJst(utc);
    const int64_t jst = utc + kJstOffsetSeconds;
    const int64_t day = jst >= 0 ? jst / 86400 : (jst - 86399) / 86400;
    if (day != day_) {
      day_ = day;
      const std::string midnight = FormatIsoJst(day * 86400 - kJstOffsetSeconds);
      if (midnight.size() != sizeof buf_ - 1) return other_ = FormatIsoJst(utc);  // a year past 9999
      midnight.copy(buf_, 11);                                                    // "YYYY-MM-DDT"
    }
    const int hour = static_cast<int>((jst - day * 86400) / 3600);
    buf_[11] = static_cast<char>('0' + hour / 10);
    buf_[12] = static_cast<char>('0' + hour % 10);
    return {buf_, sizeof buf_ - 1};
  }

 private:
  char buf_[26] = "0000-00-00T00:00:00+09:00";
  int64_t day_ = INT64_MIN;
  std::string other_;
};

// One item of a long answer (an hour, a day) assembled in place for JsonWriter::Fragment — one copy into the
// answer instead of a writer call per member. Only for parts that need no escaping: fixed keys and
// punctuation, numbers, ISO dates and stamps (digits and "-:+T"), fixed words.
class ItemText {
 public:
  ItemText& Put(std::string_view part) {
    if (part.size() > static_cast<size_t>(std::end(buf_) - end_)) throw std::logic_error("ItemText: full");
    std::memcpy(end_, part.data(), part.size());
    end_ += part.size();
    return *this;
  }
  ItemText& Int(int64_t value) {
    auto [end, ec] = std::to_chars(end_, std::end(buf_), value);
    if (ec != std::errc()) throw std::logic_error("ItemText: full");
    end_ = end;
    return *this;
  }
  ItemText& Int(const std::optional<int64_t>& value) { return value ? Int(*value) : Put("null"); }
  ItemText& Bool(bool value) { return Put(value ? "true" : "false"); }
  std::string_view View() const { return {buf_, static_cast<size_t>(end_ - buf_)}; }

 private:
  char buf_[256];  // an hour's item is about 100 bytes, a day's about 130
  char* end_ = buf_;
};

// An hour's status word (docs/api.md): measured, or why there is no volume.
std::string_view UsageStatus(const UsageHour& h) {
  return h.volume_l ? "measured" : h.anomaly ? "anomaly" : h.reset ? "reset" : "missing";
}

std::string UsageText(const ContractView& c, const UsageSeries& s) {
  const bool hourly = s.range.step == UsageStep::kHour;
  // Room for the whole answer at once: an hour's item is about 100 bytes, a day's about 130.
  JsonWriter w(1024 + 112 * s.hours.size() + 160 * s.days.size());
  w.BeginObject();
  WriteContractHead(w, c);
  w.Key("step").String(hourly ? "hour" : "day");
  w.Key("from").String(FormatIsoJst(s.range.from_utc));
  w.Key("to").String(FormatIsoJst(s.range.to_utc));
  w.Key("until").String(FormatIsoJst(std::max(s.until_utc, s.range.from_utc)));
  w.Key("unit").String("L");
  w.Key("hours_expected").Int(s.hours_expected);
  w.Key("hours_present").Int(s.hours_present);
  w.Key("hours_missing").Int(s.hours_expected - s.hours_present);
  w.Key("volume_l").Int(s.hours_present ? std::optional<int64_t>(s.volume_l) : std::nullopt);
  w.Key("complete").Bool(s.hours_expected > 0 && s.hours_present == s.hours_expected);
  w.Key("items").BeginArray();
  HourStamps stamps;
  for (const auto& h : s.hours) {
    ItemText item;
    item.Put(R"({"start":")").Put(stamps.At(h.hour_end_utc - 3600));  // copied before At() reuses its buffer
    item.Put(R"(","end":")").Put(stamps.At(h.hour_end_utc)).Put(R"(","volume_l":)").Int(h.volume_l);
    item.Put(R"(,"status":")").Put(UsageStatus(h)).Put(R"("})");
    w.Fragment(item.View());
  }
  for (const auto& d : s.days) {
    ItemText item;
    item.Put(R"({"date":")").Put(FormatDate(d.date)).Put(R"(","volume_l":)").Int(d.volume_l);
    item.Put(R"(,"hours_present":)").Int(d.hours_present).Put(R"(,"hours_expected":)").Int(d.hours_expected);
    item.Put(R"(,"complete":)").Bool(d.hours_present == d.hours_expected).Put(R"(,"reset":)").Bool(d.reset);
    item.Put(R"(,"hours_anomaly":)").Int(d.hours_anomaly).Put("}");
    w.Fragment(item.View());
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
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
               JsonWriter w;
               w.BeginObject();
               WriteContractHead(w, c);
               w.Key("periods").Int(kHistoryPeriods);
               w.Key("bills").BeginArray();
               const CivilDate today = ToJst(app.clock.Now()).date;
               std::string bill;
               bill.reserve(1024);
               for (const auto& b : ListBills(app, c.customer_number)) {
                 bill.clear();
                 AppendBill(bill, b, PaymentCodesFor(app.config.payment, c.customer_number, b, today));
                 w.Fragment(bill);
               }
               w.EndArray().EndObject();
               SendJsonText(res, 200, w.Take());
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
                                             const Caller& caller, const ContractView& c) {
               int64_t now = app.clock.Now();
               if (!c.smart_meter) throw ServiceError(409, err::kNotSmartMeter);
               UsageRange range =
                   ParseUsageRange(Param(req, "step"), Param(req, "from"), Param(req, "to"), now);
               auto answer = [&] { SendJsonText(res, 200, UsageText(c, ContractUsage(app, c, range, now))); };
               // More than a month of history yields the CPU to short requests (the bystander rule).
               if (range.to_utc - range.from_utc <= kLongReadSeconds) return answer();
               // The worker reads in its own snapshot: this thread's (ownership checked) is not held
               // meanwhile.
               detail::EndScopedRead(app);
               try {
                 app.long_reads.Run(caller.session.account_id, answer);
               } catch (const LaneFull& e) {
                 if (e.per_key) throw ServiceError(429, err::kRateLimited, {}, kLongReadRetryAfterSeconds);
                 throw ServiceError(503, err::kBusy, {}, kLongReadRetryAfterSeconds);
               }
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
