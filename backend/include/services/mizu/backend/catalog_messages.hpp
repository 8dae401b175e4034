#pragma once
// Mails and SMS whose texts come from the i18n catalog, with the utility's name and counter phone filled in.
// Used by every layer that tells a person something (accounts, billing, applications).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "mizu/backend/app.hpp"
#include "mizu/backend/mail.hpp"
#include "mizu/backend/sms.hpp"
#include "mizu/i18n.hpp"

namespace mizu::backend {

// A mail from the catalog: "<key>.subject" / "<key>.body" plus the footer, placeholders filled.
OutgoingMail CatalogMail(const App& app, Lang lang, const std::string& key, const std::string& to,
                         std::vector<std::pair<std::string, std::string>> args);
// An SMS from the catalog: "sms.<name>", placeholders filled (plus {utility}, {phone}).
OutgoingSms CatalogSms(const App& app, Lang lang, const std::string& key, const std::string& to,
                       std::vector<std::pair<std::string, std::string>> args);
// Tells an account about a change to it ("password_changed", …): the mail "mail.<name>" to its e-mail
// address, or, when it has none, the SMS "sms.<name>" to its mobile number. Call inside the change's
// transaction.
void NoticeToAccount(App& app, Database& db, Lang lang, const std::string& email, const std::string& mobile,
                     const std::string& name, std::vector<std::pair<std::string, std::string>> args,
                     int64_t now);

}  // namespace mizu::backend
