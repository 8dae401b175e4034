#include "ui/data.hpp"

#include "mizu/json_fields.hpp"
#include "mizu/time.hpp"
#include "ui/app.hpp"

namespace mizu::web {
namespace {

// Replies are outside JSON: members are read with the shared FieldOr rule (a wrong type reads as absent).
int64_t Int(const nlohmann::json& j, const char* key) {
  return FieldOr<int64_t>(j, key, 0);
}
std::string Str(const nlohmann::json& j, const char* key) {
  return FieldOr(j, key, "");
}
const nlohmann::json& List(const nlohmann::json& reply, const char* key) {
  return ArrayField(reply, key);
}

}  // namespace

PayCodes ParsePayCodes(const nlohmann::json& bill) {
  PayCodes c;
  const auto it = bill.find("payment_codes");
  if (it == bill.end() || !it->is_object()) {
    c.unavailable = "not_configured";
    return c;
  }
  const nlohmann::json& j = *it;
  c.unavailable = Str(j, "unavailable");
  c.barcode_unavailable = Str(j, "barcode_unavailable");
  c.amount = Int(j, "amount");
  c.deadline = Str(j, "deadline");
  if (auto k = j.find("konbini"); k != j.end() && k->is_object()) {
    c.barcode = Str(*k, "barcode");
    c.modules = Str(*k, "modules");
    for (const auto& line : ArrayField(*k, "human_readable"))
      if (line.is_string()) c.human_readable.push_back(line.get<std::string>());
  }
  if (auto p = j.find("payeasy"); p != j.end() && p->is_object()) {
    c.payeasy_institution = Str(*p, "institution_number");
    c.payeasy_customer = Str(*p, "customer_number");
    c.payeasy_confirmation = Str(*p, "confirmation_number");
  }
  return c;
}

std::vector<Bill> ParseBills(const nlohmann::json& reply) {
  std::vector<Bill> out;
  for (const auto& b : List(reply, "bills")) {
    if (!b.is_object()) continue;
    out.push_back({Str(b, "reading_date"), Str(b, "period_start"), Str(b, "period_end"), Str(b, "due_date"),
                   Str(b, "payment_method"), Str(b, "status"), Int(b, "usage_m3"), Int(b, "water_charge"),
                   Int(b, "sewer_charge"), Int(b, "tax"), Int(b, "total"), Int(b, "paid"), ParsePayCodes(b)});
  }
  return out;
}

std::vector<Payment> ParsePayments(const nlohmann::json& reply) {
  std::vector<Payment> out;
  for (const auto& p : List(reply, "payments")) {
    if (!p.is_object()) continue;
    out.push_back({Str(p, "reading_date"), Str(p, "period_start"), Str(p, "period_end"), Str(p, "paid_on"),
                   Str(p, "method"), Int(p, "bill_total"), Int(p, "amount")});
  }
  return out;
}

std::vector<Notice> ParseNotices(const nlohmann::json& reply) {
  std::vector<Notice> out;
  for (const auto& n : List(reply, "notices")) {
    if (!n.is_object()) continue;
    out.push_back({Int(n, "id"), Str(n, "kind"), Str(n, "customer_number"), Str(n, "display_number"),
                   Str(n, "title"), Str(n, "body"), Str(n, "published_at"), FieldOr(n, "read", false)});
  }
  return out;
}

UsageReply ParseUsage(const nlohmann::json& reply) {
  UsageReply out;
  if (!reply.is_object()) return out;
  auto volume = [](const nlohmann::json& item) -> std::optional<int64_t> {
    auto it = item.find("volume_l");
    if (it == item.end() || !JsonIs<int64_t>(*it)) return std::nullopt;
    return it->get<int64_t>();
  };
  std::string from = Str(reply, "from");
  out.from_date = from.substr(0, 10);
  if (Str(reply, "step") != "hour") {
    for (const auto& d : List(reply, "items")) {
      if (!d.is_object()) continue;
      out.points.push_back({Str(d, "date"), volume(d), static_cast<int>(Int(d, "hours_present")),
                            static_cast<int>(Int(d, "hours_expected")), false,
                            static_cast<int>(Int(d, "hours_anomaly"))});
    }
    return out;
  }
  auto start = ParseIso8601(from), until = ParseIso8601(Str(reply, "until")),
       to = ParseIso8601(Str(reply, "to"));
  if (!start) return out;
  out.day_over = until && to && *until >= *to;
  const auto& items = List(reply, "items");
  for (int h = 0; h < 24; ++h) {
    int64_t at = *start + h * int64_t{3600};
    UsagePoint p{FormatIsoJst(at), std::nullopt, 0, 1, true};
    for (const auto& i : items) {
      if (!i.is_object() || ParseIso8601(Str(i, "start")) != at) continue;
      p.volume_l = volume(i);
      p.pending = false;
      p.hours_present = p.volume_l ? 1 : 0;
      p.hours_anomaly = Str(i, "status") == "anomaly" ? 1 : 0;
    }
    out.points.push_back(std::move(p));
  }
  return out;
}

std::string PeriodName(Lang lang, const std::string& reading_date) {
  auto d = ParseDate(reading_date);
  if (!d) return reading_date;
  return Format(Tr(lang, "usage.period_name"),
                {{"year", std::to_string(d->year)}, {"month", MonthName(lang, d->month)}});
}

std::string Yen(Lang lang, int64_t yen) {
  return FormatThousands(yen) + std::string(Tr(lang, "unit.yen"));
}

}  // namespace mizu::web
