#pragma once
// Internal helpers of the billing files: CIS field parsers, money and date texts, notices and whom they mail.
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mizu/backend/app.hpp"
#include "mizu/backend/csv.hpp"
#include "mizu/format.hpp"
#include "mizu/i18n.hpp"
#include "mizu/time.hpp"

namespace mizu::backend::billing {

using Args = std::vector<std::pair<std::string, std::string>>;

// "2026-11-18", "2026/11/18", "2026/1/8" or "20261118" → the date; nullopt otherwise.
std::optional<CivilDate> ParseCisDate(std::string_view text);
// A whole number >= 0, thousands commas allowed, at most max_digits digits; nullopt otherwise.
std::optional<int64_t> ParseAmount(std::string_view text, size_t max_digits = 12);
// A yen amount in a mail: 5280 → "5,280" (FormatThousands; dates: FormatDay, both in mizu/format.hpp).
inline std::string FormatYen(int64_t yen) {
  return FormatThousands(yen);
}
// The catalog label of a payment method code (billing.method.<code>).
std::string MethodLabel(Lang lang, const std::string& code);
// The catalog text for key with {placeholders} filled, in both languages.
std::pair<std::string, std::string> BothLangs(const std::string& key, const Args& ja, const Args& en);

// One CSV row read by column name: values normalised (NormalizeText), errors collected for the report.
class RowReader {
 public:
  RowReader(const CsvTable& table, const CsvRow& row, std::vector<ImportRowError>& errors);
  std::string Get(const char* column) const;
  void Fail(const char* field, std::string_view code, std::string detail);
  bool Ok() const { return errors_.size() == before_; }
  int Line() const { return row_.line; }

 private:
  const CsvTable& table_;
  const CsvRow& row_;
  std::vector<ImportRowError>& errors_;
  size_t before_;
};

struct NoticeText {
  std::string title_ja, body_ja, title_en, body_en;
};
// Inside a transaction: stores a notice (shown from published_at, until ends_at unless 0); with a non-empty
// ref, nothing happens when (customer, kind, ref) exists. Returns the new id, or 0 when it existed.
int64_t InsertNotice(Database& db, const std::string& customer_number, const std::string& kind,
                     const std::string& ref, const NoticeText& text, int64_t published_at, int64_t now,
                     int64_t ends_at = 0);

// Whether the account wants mail of `kind` (on unless turned off).
bool WantsMail(Database& db, int64_t account_id, const std::string& kind);

struct MailTarget {
  int64_t account_id = 0;
  std::string email;
  Lang lang = Lang::kJa;
};
// The account to mail about a contract's new notice of `kind`: linked, its data already visible at `now`,
// and that kind not turned off. nullopt otherwise.
std::optional<MailTarget> MailTargetFor(Database& db, const std::string& customer_number,
                                        const std::string& kind, int64_t now);

}  // namespace mizu::backend::billing
