#include "ui/data.hpp"

namespace mizu::web {
namespace {

int64_t Int(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const nlohmann::json& List(const nlohmann::json& reply, const char* key) {
  static const nlohmann::json empty = nlohmann::json::array();
  if (!reply.is_object()) return empty;
  auto it = reply.find(key);
  return it != reply.end() && it->is_array() ? *it : empty;
}

}  // namespace

std::vector<Bill> ParseBills(const nlohmann::json& reply) {
  std::vector<Bill> out;
  for (const auto& b : List(reply, "bills")) {
    if (!b.is_object()) continue;
    out.push_back({Str(b, "reading_date"), Str(b, "period_start"), Str(b, "period_end"), Str(b, "due_date"),
                   Str(b, "payment_method"), Str(b, "status"), Int(b, "usage_m3"), Int(b, "water_charge"),
                   Int(b, "sewer_charge"), Int(b, "tax"), Int(b, "total"), Int(b, "paid")});
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
    out.push_back({Int(n, "id"), Str(n, "kind"), Str(n, "customer_number"), Str(n, "display_number"), Str(n, "title"),
                   Str(n, "body"), Str(n, "published_at"), n.value("read", false)});
  }
  return out;
}

}  // namespace mizu::web
