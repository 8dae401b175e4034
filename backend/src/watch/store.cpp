// Reading watches back and mailing the "ended" notices of watches that went away with their contract link.
#include <cstdio>
#include <stdexcept>

#include "mizu/text.hpp"
#include "watch_store.hpp"

namespace mizu::backend::watch {

WatchView LoadWatch(Database& db, const ContractView& c) {
  WatchView view;
  view.customer_number = c.customer_number;
  view.display_number = c.display_number;
  view.address = c.address;
  auto w = db.Prepare("SELECT id, lang, created_at, updated_at FROM watches WHERE customer_number = ?");
  w.Bind(1, c.customer_number);
  if (!w.Step()) return view;
  const int64_t id = w.Int(0);
  view.active = true;
  view.lang = w.Text(1);
  view.created_at = w.Int(2);
  view.updated_at = w.Int(3);
  auto h = db.Prepare("SELECT start_hour FROM watch_hours WHERE watch_id = ? ORDER BY position");
  h.Bind(1, id);
  while (h.Step()) view.start_hours.push_back(static_cast<int>(h.Int(0)));
  auto r = db.Prepare(
      "SELECT name, email, stopped_at IS NOT NULL, added_at FROM watch_recipients WHERE watch_id = ? "
      "ORDER BY position, id");
  r.Bind(1, id);
  while (r.Step()) view.recipients.push_back({r.Text(0), r.Text(1), r.Int(2) != 0, r.Int(3)});
  return view;
}

ContractInfo ContractInfoFor(Database& db, const Config& config, const std::string& customer_number) {
  ContractInfo info{customer_number, FormatCustomerNumber(customer_number, config.utility.customer_number),
                    ""};
  auto q = db.Prepare("SELECT address FROM customers WHERE customer_number = ?");
  q.Bind(1, customer_number);
  if (q.Step()) info.address = q.Text(0);
  return info;
}

int DrainFarewells(Database& db, const App& app, int64_t now) {
  auto q = db.Prepare("SELECT id, customer_number, lang, name, email FROM watch_farewells ORDER BY id");
  int mailed = 0;
  int64_t last = 0;
  while (q.Step()) {
    last = q.Int(0);
    const ContractInfo contract = ContractInfoFor(db, app.config, q.Text(1));
    try {
      EnqueueMail(db, EndedMail(app, ParseLang(q.Text(2)), contract, q.Text(4), q.Text(3)), now);
      ++mailed;
    } catch (const std::invalid_argument& e) {  // a row that cannot become a mail must not block the others
      std::fprintf(stderr, "watch: farewell %lld not mailed: %s\n", static_cast<long long>(last), e.what());
    }
  }
  q.Reset();
  if (last > 0) db.Prepare("DELETE FROM watch_farewells WHERE id <= ?").Bind(1, last).Run();
  return mailed;
}

}  // namespace mizu::backend::watch

namespace mizu::backend {

int SendWatchFarewells(Database& db, const App& app, int64_t now) {
  auto any = db.Prepare("SELECT EXISTS (SELECT 1 FROM watch_farewells)");
  any.Step();
  if (any.Int(0) == 0) return 0;
  any.Reset();
  int mailed = 0;
  db.Transaction([&] { mailed = watch::DrainFarewells(db, app, now); });
  return mailed;
}

}  // namespace mizu::backend
