// The staff's work queues over HTTP (staff_work.hpp, docs/staff.md): the applications queue (counter) and
// bureau notices to chosen contracts (supervisor), behind WithStaff like every staff route.
#include <cstdint>

#include "account_fields.hpp"
#include "guard.hpp"
#include "mizu/backend/staff_work.hpp"
#include "mizu/time.hpp"

namespace mizu::backend::http {
namespace {

nlohmann::json IsoOrNull(int64_t t) {
  return t ? nlohmann::json(FormatIsoJst(t)) : nlohmann::json(nullptr);
}

nlohmann::json RowJson(const StaffApplicationRow& r) {
  return {{"reference", r.reference},
          {"kind", r.kind},
          {"status", r.status},
          {"name", r.name},
          {"name_kana", r.name_kana},
          {"address", r.address},
          {"desired_date", r.desired_date},
          {"received_at", FormatIsoJst(r.created_at)},
          {"updated_at", FormatIsoJst(r.updated_at)}};
}

nlohmann::json ApplicationJson(const StaffApplication& a, const CustomerNumberFormat& format) {
  nlohmann::json j = RowJson(a.row);
  j["customer_number"] = a.customer_number;
  j["display_number"] = a.customer_number.empty() ? "" : FormatCustomerNumber(a.customer_number, format);
  j["postal_code"] = a.postal_code;
  j["phone"] = a.phone;
  j["email"] = a.email;
  j["payment_method"] = a.payment_method;
  j["forwarding_address"] = a.forwarding_address;
  j["lang"] = a.lang;
  nlohmann::json history = nlohmann::json::array();
  for (const auto& h : a.history)
    history.push_back(
        {{"at", FormatIsoJst(h.at)},
         {"staff", h.staff_email},
         {"from", h.from_status.empty() ? nlohmann::json(nullptr) : nlohmann::json(h.from_status)},
         {"to", h.to_status},
         {"note", h.note}});
  j["history"] = history;
  return j;
}

nlohmann::json NoticeJson(const StaffNoticeRow& n) {
  return {{"id", n.id},
          {"kind", n.kind},
          {"title_ja", n.title_ja},
          {"title_en", n.title_en},
          {"published_at", FormatIsoJst(n.published_at)},
          {"ends_at", IsoOrNull(n.ends_at)},
          {"target", n.target},
          {"target_detail", n.target_detail},
          {"contracts", n.contracts},
          {"mailed", n.mailed},
          {"staff", n.staff_email},
          {"created_at", FormatIsoJst(n.created_at)}};
}

// A whole number in a query parameter within [min, max], `fallback` when absent; 400 invalid_format on it.
int64_t IntParam(const httplib::Request& req, const char* name, int64_t fallback, int64_t min, int64_t max) {
  const std::string v = req.get_param_value(name);
  if (v.empty()) return fallback;
  if (v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos || std::stoll(v) < min ||
      std::stoll(v) > max)
    throw ServiceError(400, err::kInvalidFormat, {{std::string(err::kInvalidFormat), name}});
  return std::stoll(v);
}

// A string field that may hold several lines (the shared multi-line rule is the service's); shape only.
std::string TextField(const nlohmann::json& j, const char* field, std::vector<FieldError>& errors,
                      size_t max_bytes) {
  if (!j.contains(field) || j[field].is_null()) return "";
  if (!j[field].is_string()) {
    errors.push_back({std::string(err::kInvalidFormat), field});
    return "";
  }
  const auto& s = j[field].get_ref<const std::string&>();
  if (s.size() > max_bytes) {
    errors.push_back({std::string(err::kTooLong), field});
    return "";
  }
  return s;
}

// An ISO 8601 instant in a body field, 0 when absent or empty; invalid_format on it otherwise.
int64_t InstantField(const nlohmann::json& j, const char* field, std::vector<FieldError>& errors) {
  const std::string v = StringField(j, field, errors, 64, /*required=*/false);
  if (v.empty()) return 0;
  auto t = ParseIso8601(v);
  if (!t) errors.push_back({std::string(err::kInvalidFormat), field});
  return t.value_or(0);
}

// customer_numbers: an array of strings, or one string as pasted (numbers separated by spaces, commas, 、
// or line breaks).
std::vector<std::string> NumbersField(const nlohmann::json& j, std::vector<FieldError>& errors) {
  constexpr size_t kMaxNumbers = 5000;
  std::vector<std::string> out;
  if (!j.contains("customer_numbers") || j["customer_numbers"].is_null()) return out;
  const auto& v = j["customer_numbers"];
  if (v.is_string()) {
    std::string text = v.get<std::string>();
    for (const char* sep : {"、", "，", "\xE3\x80\x80"})  // 、 ， and the ideographic space
      for (size_t p; (p = text.find(sep)) != std::string::npos;)
        text.replace(p, std::string(sep).size(), " ");
    std::string item;
    for (char c : text + " ") {
      if (c == ' ' || c == ',' || c == '\n' || c == '\r' || c == '\t') {
        if (!item.empty()) out.push_back(item);
        item.clear();
      } else {
        item += c;
      }
    }
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string() || v[i].get_ref<const std::string&>().size() > 64)
        errors.push_back({std::string(err::kInvalidFormat), "customer_numbers[" + std::to_string(i) + "]"});
      else
        out.push_back(v[i].get<std::string>());
    }
  } else {
    errors.push_back({std::string(err::kInvalidFormat), "customer_numbers"});
  }
  if (out.size() > kMaxNumbers) errors.push_back({std::string(err::kTooLong), "customer_numbers"});
  return out;
}

StaffNoticeDraft ReadDraft(const httplib::Request& req) {
  const nlohmann::json j = ReadJsonBody(req);
  std::vector<FieldError> errors;
  StaffNoticeDraft d;
  d.kind = StringField(j, "kind", errors, 16, /*required=*/false);
  if (d.kind.empty()) d.kind = "bureau";
  d.title_ja = StringField(j, "title_ja", errors, 1024, /*required=*/false);
  d.title_en = StringField(j, "title_en", errors, 1024, /*required=*/false);
  d.body_ja = TextField(j, "body_ja", errors, 32 * 1024);
  d.body_en = TextField(j, "body_en", errors, 32 * 1024);
  d.published_at = InstantField(j, "published_at", errors);
  d.ends_at = InstantField(j, "ends_at", errors);
  const std::string target = StringField(j, "target", errors, 16);
  if (target == "all") {
    d.target = NoticeTarget::kAll;
  } else if (target == "list") {
    d.target = NoticeTarget::kList;
    d.customer_numbers = NumbersField(j, errors);
  } else if (target == "district") {
    d.target = NoticeTarget::kDistrict;
    d.district = StringField(j, "district", errors, 512, /*required=*/false);
  } else if (!target.empty()) {
    errors.push_back({std::string(err::kInvalidFormat), "target"});
  }
  ThrowIfErrors(errors);
  return d;
}

}  // namespace

void RegisterStaffWorkRoutes(httplib::Server& server, App& app) {
  // ---- Counter: the applications queue (使用開始 / 使用中止) ----
  server.Get("/api/v1/staff/applications",
             WithStaff(app, StaffRole::kCounter,
                       [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller&) {
                         StaffApplicationQuery q;
                         q.status = req.get_param_value("status");
                         q.before_id = IntParam(req, "before", 0, 0, INT64_MAX);
                         q.limit = static_cast<int>(IntParam(req, "limit", 50, 1, 200));
                         auto rows = ListApplications(app, q);
                         nlohmann::json items = nlohmann::json::array();
                         for (const auto& r : rows) items.push_back(RowJson(r));
                         // The next page: the rows older than the last one shown.
                         const bool full = static_cast<int>(rows.size()) == q.limit;
                         SendJson(res, 200,
                                  {{"items", items},
                                   {"next_before",
                                    full ? nlohmann::json(rows.back().id) : nlohmann::json(nullptr)}});
                       }));
  server.Get(R"(/api/v1/staff/applications/([^/]+))",
             WithStaff(app, StaffRole::kCounter,
                       [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller& c) {
                         SendJson(res, 200,
                                  ApplicationJson(
                                      GetApplication(app, c.staff, req.matches[1], c.client, app.clock.Now()),
                                      app.config.utility.customer_number));
                       }));
  server.Put(R"(/api/v1/staff/applications/([^/]+)/status)",
             WithStaff(app, StaffRole::kCounter,
                       [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller& c) {
                         const nlohmann::json j = ReadJsonBody(req);
                         std::vector<FieldError> errors;
                         const std::string status = StringField(j, "status", errors, 16);
                         const std::string note = TextField(j, "note", errors, 8 * 1024);
                         ThrowIfErrors(errors);
                         auto a = SetApplicationStatus(app, c.staff, req.matches[1], status, note, c.client,
                                                       app.clock.Now());
                         SendJson(res, 200, ApplicationJson(a, app.config.utility.customer_number));
                       }));

  // ---- Supervisor: bureau notices (お知らせ) ----
  server.Post(
      "/api/v1/staff/notices/preview",
      WithStaff(app, StaffRole::kSupervisor,
                [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller&) {
                  NoticePreview p = PreviewStaffNotice(app, ReadDraft(req), app.clock.Now());
                  SendJson(res, 200,
                           {{"contracts", p.contracts}, {"mailed", p.mailed}, {"target", p.target_detail}});
                }));
  server.Post("/api/v1/staff/notices",
              WithStaff(app, StaffRole::kSupervisor,
                        [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller& c) {
                          StaffNoticeRow n =
                              PublishStaffNotice(app, c.staff, ReadDraft(req), c.client, app.clock.Now());
                          nlohmann::json j = NoticeJson(n);
                          j["duplicate"] = n.duplicate;
                          SendJson(res, n.duplicate ? 200 : 201, j);
                        }));
  server.Get("/api/v1/staff/notices",
             WithStaff(app, StaffRole::kSupervisor,
                       [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller&) {
                         nlohmann::json items = nlohmann::json::array();
                         for (const auto& n :
                              ListStaffNotices(app, static_cast<int>(IntParam(req, "limit", 100, 1, 200))))
                           items.push_back(NoticeJson(n));
                         SendJson(res, 200, {{"items", items}});
                       }));
}

}  // namespace mizu::backend::http
