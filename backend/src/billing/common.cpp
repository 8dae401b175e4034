#include "common.hpp"

#include "mizu/text.hpp"

namespace mizu::backend::billing {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

std::optional<CivilDate> ParseCisDate(std::string_view text) {
  std::string s = NormalizeText(text);
  CivilDate d;
  if (s.size() == 8 && AllDigits(s)) {
    d = {std::stoi(s.substr(0, 4)), std::stoi(s.substr(4, 2)), std::stoi(s.substr(6, 2))};
  } else {
    char sep = s.find('/') != std::string::npos ? '/' : '-';
    size_t a = s.find(sep), b = a == std::string::npos ? a : s.find(sep, a + 1);
    if (b == std::string::npos || s.find(sep, b + 1) != std::string::npos) return std::nullopt;
    std::string y = s.substr(0, a), m = s.substr(a + 1, b - a - 1), day = s.substr(b + 1);
    if (y.size() != 4 || !AllDigits(y) || m.empty() || m.size() > 2 || !AllDigits(m) || day.empty() ||
        day.size() > 2 || !AllDigits(day))
      return std::nullopt;
    d = {std::stoi(y), std::stoi(m), std::stoi(day)};
  }
  if (!IsValidDate(d)) return std::nullopt;
  return d;
}

std::optional<int64_t> ParseAmount(std::string_view text, size_t max_digits) {
  std::string s = NormalizeText(text);
  std::string digits;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ',') {
      if (digits.empty() || i + 1 == s.size()) return std::nullopt;
      continue;
    }
    digits += s[i];
  }
  if (!AllDigits(digits) || digits.size() > max_digits) return std::nullopt;
  return std::stoll(digits);
}

std::string MethodLabel(Lang lang, const std::string& code) {
  return std::string(Tr(lang, "billing.method." + code));
}

std::pair<std::string, std::string> BothLangs(const std::string& key, const Args& ja, const Args& en) {
  return {Format(Tr(Lang::kJa, key), ja), Format(Tr(Lang::kEn, key), en)};
}

RowReader::RowReader(const CsvTable& table, const CsvRow& row, std::vector<ImportRowError>& errors)
    : table_(table), row_(row), errors_(errors), before_(errors.size()) {}

std::string RowReader::Get(const char* column) const {
  auto i = table_.Column(column);
  return (i && *i < row_.fields.size()) ? NormalizeText(row_.fields[*i]) : std::string();
}

void RowReader::Fail(const char* field, std::string_view code, std::string detail) {
  errors_.push_back({row_.line, field, std::string(code), std::move(detail)});
}

int64_t InsertNotice(Database& db, const std::string& customer_number, const std::string& kind,
                     const std::string& ref, const NoticeText& text, int64_t published_at, int64_t now,
                     int64_t ends_at) {
  auto q = db.Prepare(
      "INSERT INTO notices (customer_number, kind, ref, title_ja, body_ja, title_en, body_en, published_at, "
      "created_at, ends_at) VALUES (NULLIF(?, ''), ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0)) ON CONFLICT DO "
      "NOTHING");
  q.Bind(1, customer_number).Bind(2, kind).Bind(3, ref).Bind(4, text.title_ja).Bind(5, text.body_ja);
  q.Bind(6, text.title_en).Bind(7, text.body_en).Bind(8, published_at).Bind(9, now).Bind(10, ends_at);
  q.Run();
  return db.Changes() ? db.LastInsertId() : 0;
}

bool WantsMail(Database& db, int64_t account_id, const std::string& kind) {
  auto q = db.Prepare("SELECT email FROM notification_settings WHERE account_id = ? AND kind = ?");
  q.Bind(1, account_id).Bind(2, kind);
  return !q.Step() || q.Int(0) != 0;
}

std::optional<MailTarget> MailTargetFor(Database& db, const std::string& customer_number,
                                        const std::string& kind, int64_t now) {
  auto q = db.Prepare(
      "SELECT a.id, a.email, a.lang, l.visible_from FROM contract_links l JOIN accounts a ON a.id = "
      "l.account_id "
      "WHERE l.customer_number = ?");
  q.Bind(1, customer_number);
  if (!q.Step() || q.Int(3) > now || q.IsNull(1)) return std::nullopt;  // no e-mail: a mobile-number account
  MailTarget t{q.Int(0), q.Text(1), ParseLang(q.Text(2))};
  q.Reset();
  if (!WantsMail(db, t.account_id, kind)) return std::nullopt;
  return t;
}

}  // namespace mizu::backend::billing
