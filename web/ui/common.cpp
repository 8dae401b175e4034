// Small pieces every screen uses: the contract picker and the login ID box (dates and numbers:
// mizu/format.hpp).
#include "mizu/text.hpp"
#include "mizu/time.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {

bool ContractPicker(AppState& app, AppContext& ctx, bool smart_meter_only) {
  auto& a = app.account;
  std::vector<std::string> options, addresses, numbers;
  int index = -1;
  for (const auto& c : a.contracts) {
    if (smart_meter_only && !c.smart_meter) continue;
    if (c.customer_number == a.selected) index = static_cast<int>(numbers.size());
    std::string label = c.display_number;
    if (c.primary) label += "（" + std::string(Tr(app.lang, "top.primary")) + "）";
    options.push_back(std::move(label));
    addresses.push_back(c.address);
    numbers.push_back(c.customer_number);
  }
  if (options.empty()) return false;
  if (index < 0) {  // the selected contract is not in this list (e.g. no smart meter): take the first
    index = 0;
    a.selected = numbers[0];
  }
  bool changed = ui::Select(ctx.registry, "contract.select", Tr(app.lang, "contract.select"), options, index,
                            {}, addresses);
  if (changed) a.selected = numbers[index];
  ui::Text(ctx.registry, "contract.address", addresses[index],
           true);  // the number alone fits a phone's width
  return changed;
}

void PostWithLoginId(AppState& app, const std::string& url, std::string& id, FormErrors& errors,
                     nlohmann::json fields, std::function<void(const ApiReply&)> ok) {
  LoginId login_id;
  if (auto e = CheckLoginId(id, login_id)) {
    errors.SetField("email", *e);
    return;
  }
  id = login_id.value;  // the person sees what is sent (full-width → half-width)
  fields[login_id.Field()] = id;
  Api(app, "POST", url, fields,
      [errors = &errors, ok = std::move(ok)](const ApiReply& r) {
        if (r.ok()) return ok(r);
        errors->Set(r.error);
        if (auto m = errors->fields.find("mobile"); m != errors->fields.end())
          errors->fields["email"] = m->second;
      },
      {.session = false});
}

}  // namespace mizu::web
