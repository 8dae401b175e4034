// Catalog mails and SMS (see catalog_messages.hpp).
#include "mizu/backend/catalog_messages.hpp"

namespace mizu::backend {

OutgoingMail CatalogMail(const App& app, Lang lang, const std::string& key, const std::string& to,
                         std::vector<std::pair<std::string, std::string>> args) {
  const auto& u = app.config.utility;
  args.push_back({"utility", lang == Lang::kEn ? u.name_en : u.name});
  args.push_back({"phone", u.counter_phone});
  OutgoingMail m;
  m.to = to;
  m.subject = Format(Tr(lang, key + ".subject"), args);
  m.body_text =
      Format(Tr(lang, key + ".body"), args) + "\n\n--\n" + Format(Tr(lang, "mail.footer"), args) + "\n";
  m.kind = key.substr(key.find('.') + 1);
  m.lang = std::string(LangTag(lang));
  return m;
}

OutgoingSms CatalogSms(const App& app, Lang lang, const std::string& key, const std::string& to,
                       std::vector<std::pair<std::string, std::string>> args) {
  const auto& u = app.config.utility;
  args.push_back({"utility", lang == Lang::kEn ? u.name_en : u.name});
  args.push_back({"phone", u.counter_phone});
  OutgoingSms m;
  m.to = to;
  m.body = Format(Tr(lang, key), args);
  m.kind = key.substr(key.find('.') + 1);
  m.lang = std::string(LangTag(lang));
  return m;
}

void NoticeToAccount(App& app, Database& db, Lang lang, const std::string& email, const std::string& mobile,
                     const std::string& name, std::vector<std::pair<std::string, std::string>> args,
                     int64_t now) {
  if (!email.empty())
    EnqueueMail(db, CatalogMail(app, lang, "mail." + name, email, std::move(args)), now);
  else if (!mobile.empty())
    EnqueueSms(db, CatalogSms(app, lang, "sms." + name, mobile, std::move(args)), now);
}

}  // namespace mizu::backend
