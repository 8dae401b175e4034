// The demo utility: 120 households with Japanese names, kana and addresses, deterministic (seeded) so every
// demo looks the same; about a third have smart meters.
#include "mizu/backend/demo_data.hpp"

#include <array>
#include <cstdio>
#include <random>

#include "mizu/backend/billing.hpp"
#include "mizu/backend/cis.hpp"
#include "mizu/backend/watch.hpp"
#include "mizu/time.hpp"

namespace mizu::backend {
namespace {

struct Name {
  const char* kanji;
  const char* kana;
};
constexpr std::array<Name, 16> kFamily = {{{"佐藤", "サトウ"},
                                           {"鈴木", "スズキ"},
                                           {"高橋", "タカハシ"},
                                           {"田中", "タナカ"},
                                           {"伊藤", "イトウ"},
                                           {"渡辺", "ワタナベ"},
                                           {"山本", "ヤマモト"},
                                           {"中村", "ナカムラ"},
                                           {"小林", "コバヤシ"},
                                           {"加藤", "カトウ"},
                                           {"吉田", "ヨシダ"},
                                           {"山田", "ヤマダ"},
                                           {"佐々木", "ササキ"},
                                           {"山口", "ヤマグチ"},
                                           {"松本", "マツモト"},
                                           {"井上", "イノウエ"}}};
constexpr std::array<Name, 12> kGiven = {{{"太郎", "タロウ"},
                                          {"花子", "ハナコ"},
                                          {"一郎", "イチロウ"},
                                          {"幸子", "サチコ"},
                                          {"健", "ケン"},
                                          {"美咲", "ミサキ"},
                                          {"茂", "シゲル"},
                                          {"和子", "カズコ"},
                                          {"大輔", "ダイスケ"},
                                          {"陽子", "ヨウコ"},
                                          {"清", "キヨシ"},
                                          {"節子", "セツコ"}}};
constexpr std::array<const char*, 6> kTowns = {"本町", "桜台", "川端町", "緑ケ丘", "港南", "水守"};

std::string CustomerNumber(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%011d", 8000 + i * 2);  // 0-0000008002 is the seeds' example
  return buf;
}

}  // namespace

std::vector<DemoLogin> FillDemoData(App& app, int64_t now) {
  std::mt19937 rng(20261122);
  std::string csv =
      "customer_number,holder_name,holder_kana,address,bureau_phone,meter_id,smart_meter,diameter_mm,"
      "status\n";
  for (int i = 1; i <= 120; ++i) {
    const auto& f = kFamily[rng() % kFamily.size()];
    const auto& g = kGiven[rng() % kGiven.size()];
    bool smart = i % 3 != 0;
    int diameter = i % 20 == 0 ? 25 : (i % 7 == 0 ? 20 : 13);
    char line[512];
    std::snprintf(line, sizeof line, "%s,%s %s,%s %s,水守市%s%d丁目%d番%d号,0467-%02d-%04d,%s,%d,%d,active\n",
                  CustomerNumber(i).c_str(), f.kanji, g.kanji, f.kana, g.kana, kTowns[rng() % kTowns.size()],
                  1 + static_cast<int>(rng() % 5), 1 + static_cast<int>(rng() % 30),
                  1 + static_cast<int>(rng() % 20), 10 + i % 90, 1000 + i,
                  smart ? ("M" + std::to_string(100000 + i)).c_str() : "", smart ? 1 : 0, diameter);
    csv += line;
  }
  {
    std::lock_guard lock(app.db_mutex);
    ImportCustomers(*app.db, csv, {app.config.utility.customer_number, &app.tariff}, now);
  }
  FillDemoBilling(app, now);  // two years of bills and payments (locks the database itself)
  // Demo residents: a watched parent's own account and a family member holding the parent's contract too.
  std::vector<DemoLogin> logins = {
      {"demo@mizumori.example", "mizumori-demo-2026", CustomerNumber(1), "resident (本人), smart meter", ""},
      {"family@mizumori.example", "mizumori-family-2026", CustomerNumber(2), "family member",
       CustomerNumber(4)},
  };
  std::unique_lock lock(app.db_mutex);
  auto& db = *app.db;
  for (size_t k = 0; k < logins.size(); ++k) {
    auto& l = logins[k];
    auto exists = db.Prepare("SELECT id FROM accounts WHERE email = ?");
    exists.Bind(1, l.email);
    if (exists.Step()) continue;
    exists.Reset();
    db.Transaction([&] {
      auto a = db.Prepare(
          "INSERT INTO accounts (email, password_hash, applicant_phone, lang, created_at) VALUES (?, ?, ?, "
          "'ja', ?)");
      a.Bind(1, l.email)
          .Bind(2, HashPassword(l.password, app.password_hash))
          .Bind(3, "09012345678")
          .Bind(4, now)
          .Run();
      int64_t id = db.LastInsertId();
      std::vector<std::pair<std::string, std::string>> links = {{l.customer_number, "self"}};
      if (!l.family_contract.empty()) links.push_back({l.family_contract, "family"});
      bool primary = true;
      for (const auto& [cn, rel] : links) {
        // Linked long ago, so usage is already visible in the demo.
        auto link = db.Prepare(
            "INSERT INTO contract_links (customer_number, account_id, relationship, consent, is_primary, "
            "linked_at, visible_from) VALUES (?, ?, ?, 1, ?, ?, ?) ON CONFLICT DO NOTHING");
        link.Bind(1, cn).Bind(2, id).Bind(3, rel).Bind(4, int64_t{primary}).Bind(5, now - 400 * 86400);
        link.Bind(6, now - 399 * 86400).Run();
        db.Prepare("UPDATE customers SET paper_notice = 0 WHERE customer_number = ?").Bind(1, cn).Run();
        primary = false;
      }
    });
  }
  lock.unlock();
  FillDemoWatch(app, now);  // hourly readings and two watches (locks the database itself)
  return logins;
}

}  // namespace mizu::backend
