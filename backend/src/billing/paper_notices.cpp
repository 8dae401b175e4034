// The paper-notice list (M14): which customers still get the printed 「使用水量等のお知らせ」. The flag
// itself is kept by the accounts code (off when linked, on again when unlinked or withdrawn).
#include "common.hpp"
#include "mizu/backend/billing.hpp"

namespace mizu::backend {

using namespace billing;

CsvExport ExportPaperNotices(App& app, TextEncoding encoding) {
  CsvExport csv({"customer_number", "holder_name", "holder_kana", "address", "paper_notice", "portal_since"},
                encoding);
  ReadDb(app, [&](Database& db) {
    auto q = db.Prepare(
        "SELECT c.customer_number, c.holder_name, c.holder_kana, c.address, c.paper_notice, l.linked_at "
        "FROM customers c LEFT JOIN contract_links l ON l.customer_number = c.customer_number "
        "WHERE c.status != 'closed' ORDER BY c.customer_number");
    while (q.Step()) {
      std::string since = q.IsNull(5) ? "" : FormatDate(ToJst(q.Int(5)).date);
      csv.Add({q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Int(4) ? "1" : "0", since});
    }
  });
  return csv;
}

}  // namespace mizu::backend
