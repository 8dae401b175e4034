#include "ui/keyboard.hpp"

#include <algorithm>
#include <string_view>

#include "imgui.h"
#include "platform/text_input.hpp"
#include "theme/theme.hpp"
#include "ui/widgets.hpp"

namespace mizu::web::ui {
namespace {

KeyState Toggle(bool on) {
  return on ? KeyState::kToggleOn : KeyState::kToggleOff;
}

using Edit = Registry::TextEdit;

// Katakana and their other forms (a character without one is left alone).
struct KanaForm {
  std::string_view base, other;
};
constexpr KanaForm kVoiced[] = {
    {"カ", "ガ"}, {"キ", "ギ"}, {"ク", "グ"}, {"ケ", "ゲ"}, {"コ", "ゴ"}, {"サ", "ザ"}, {"シ", "ジ"},
    {"ス", "ズ"}, {"セ", "ゼ"}, {"ソ", "ゾ"}, {"タ", "ダ"}, {"チ", "ヂ"}, {"ツ", "ヅ"}, {"テ", "デ"},
    {"ト", "ド"}, {"ハ", "バ"}, {"ヒ", "ビ"}, {"フ", "ブ"}, {"ヘ", "ベ"}, {"ホ", "ボ"}, {"ウ", "ヴ"},
    {"パ", "バ"}, {"ピ", "ビ"}, {"プ", "ブ"}, {"ペ", "ベ"}, {"ポ", "ボ"}};
constexpr KanaForm kSemiVoiced[] = {{"ハ", "パ"}, {"ヒ", "ピ"}, {"フ", "プ"}, {"ヘ", "ペ"}, {"ホ", "ポ"},
                                    {"バ", "パ"}, {"ビ", "ピ"}, {"ブ", "プ"}, {"ベ", "ペ"}, {"ボ", "ポ"}};
constexpr KanaForm kSmall[] = {{"ア", "ァ"}, {"イ", "ィ"}, {"ウ", "ゥ"}, {"エ", "ェ"}, {"オ", "ォ"},
                               {"ヤ", "ャ"}, {"ユ", "ュ"}, {"ヨ", "ョ"}, {"ツ", "ッ"}, {"ワ", "ヮ"}};

// Where the last code point of UTF-8 `s` starts.
size_t LastCharStart(const std::string& s) {
  size_t i = s.size();
  while (i > 0 && (static_cast<unsigned char>(s[i - 1]) & 0xC0) == 0x80) --i;
  return i > 0 ? i - 1 : 0;
}

template <size_t N>
void Toggle(std::string& value, const KanaForm (&forms)[N]) {
  if (value.empty()) return;
  const size_t start = LastCharStart(value);
  const std::string_view last(value.data() + start, value.size() - start);
  // The first pair that has it as its base turns it into the form; otherwise a form goes back to its base
  // (the base pairs come first, so バ + ゛ is バ → ハ and パ + ゛ is パ → バ).
  for (const auto& f : forms)
    if (last == f.base) return value.replace(start, std::string::npos, f.other), void();
  for (const auto& f : forms)
    if (last == f.other) return value.replace(start, std::string::npos, f.base), void();
}

// The 50音 table as columns (ア行 drawn at the right): five rows each, "" for a gap.
constexpr std::string_view kKanaColumns[10][5] = {
    {"ア", "イ", "ウ", "エ", "オ"}, {"カ", "キ", "ク", "ケ", "コ"}, {"サ", "シ", "ス", "セ", "ソ"},
    {"タ", "チ", "ツ", "テ", "ト"}, {"ナ", "ニ", "ヌ", "ネ", "ノ"}, {"ハ", "ヒ", "フ", "ヘ", "ホ"},
    {"マ", "ミ", "ム", "メ", "モ"}, {"ヤ", "", "ユ", "", "ヨ"},     {"ラ", "リ", "ル", "レ", "ロ"},
    {"ワ", "", "ヲ", "", "ン"}};
constexpr std::string_view kLatinRows[4] = {"1234567890", "qwertyuiop", "asdfghjkl@", "zxcvbnm.-_"};
// The printable ASCII symbols (a password may hold any of them).
constexpr std::string_view kSymbolRows[4] = {"!\"#$%&'()*", "+,-./:;<=>", "?@[\\]^_`{|", "}~"};
constexpr std::string_view kNumberRows[4][3] = {
    {"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"-", "0", ""}};
// Japan's common mobile and free mail domains (the carriers' and the big providers').
constexpr std::string_view kMailDomains[] = {"@docomo.ne.jp",   "@ezweb.ne.jp",   "@au.com",
                                             "@softbank.ne.jp", "@i.softbank.jp", "@icloud.com",
                                             "@gmail.com",      "@yahoo.co.jp"};

class Keys {
 public:
  Keys(Registry& reg, Lang lang, KeyboardState& state)
      : reg_(reg), lang_(lang), state_(state), gap_(theme::Px(6)), h_(theme::Px(48)) {}

  float Width(int columns) const {
    return (ImGui::GetContentRegionAvail().x - gap_ * static_cast<float>(columns - 1)) /
           static_cast<float>(columns);
  }
  // One key: drawn `label`, spoken `name`; `w` device px. Returns true when pressed.
  bool Key(std::string_view label, std::string_view name, float w, bool first,
           ui::KeyState state = ui::KeyState::kPlain) {
    if (!first) ImGui::SameLine(0, gap_);
    const std::string id = "osk.key." + std::to_string(next_++);
    return Press(id, label, name, w, state);
  }
  bool Press(const std::string& id, std::string_view label, std::string_view name, float w,
             ui::KeyState state = ui::KeyState::kPlain) {
    return ui::Key(reg_, id, label, name, w, state);
  }
  void Type(std::string text) { reg_.Edit(reg_.text_target.id, {Edit::kInsert, std::move(text)}); }
  void Do(Edit::Kind kind) { reg_.Edit(reg_.text_target.id, {kind, {}}); }
  std::string_view T(const char* key) const { return Tr(lang_, key); }

  Registry& reg_;
  Lang lang_;
  KeyboardState& state_;
  float gap_, h_;
  int next_ = 0;
};

void Kana(Keys& k) {
  const float w = k.Width(11);
  struct Control {
    const char* label;
    const char* name_key;
    Edit::Kind kind;
    const char* text;
  };
  static constexpr Control kControls[5] = {{"゛", "osk.voiced", Edit::kVoiced, ""},
                                           {"゜", "osk.semi_voiced", Edit::kSemiVoiced, ""},
                                           {"小", "osk.small", Edit::kSmall, ""},
                                           {"ー", "osk.long_vowel", Edit::kInsert, "ー"},
                                           {"、", "osk.comma", Edit::kInsert, "、"}};
  for (int row = 0; row < 5; ++row) {
    const Control& c = kControls[row];
    const std::string_view name = k.T(c.name_key);
    if (k.Key(*c.label ? std::string_view(c.label) : name, name, w, true)) {
      if (c.kind == Edit::kInsert)
        k.Type(c.text);
      else
        k.Do(c.kind);
    }
    for (int col = 9; col >= 0; --col) {  // ワ行 … ア行, right to left as on the printed table
      const std::string_view kana = kKanaColumns[col][row];
      ImGui::SameLine(0, k.gap_);
      if (kana.empty()) {
        ImGui::Dummy(ImVec2(w, k.h_));
        continue;
      }
      if (k.Key(kana, kana, w, true)) k.Type(std::string(kana));
    }
  }
}

// Rows of single-character keys, `columns` to a row (the last row's keys as wide as the others).
void CharRows(Keys& k, const std::string_view* rows, int count, int columns, bool capitals) {
  const float w = k.Width(columns);
  for (int r = 0; r < count; ++r)
    for (size_t i = 0; i < rows[r].size(); ++i) {
      std::string c(1, rows[r][i]);
      if (capitals && c[0] >= 'a' && c[0] <= 'z') c[0] = static_cast<char>(c[0] - 'a' + 'A');
      if (k.Key(c, c, w, i == 0)) k.Type(c);
    }
}

void Latin(Keys& k, bool email) {
  CharRows(k, kLatinRows, 3, 10, k.state_.shift);
  // The last row: 大文字, z … m, . - _ (eleven keys).
  const float w = k.Width(11);
  if (k.Key(k.T("osk.shift"), k.T("osk.shift"), w, true, Toggle(k.state_.shift)))
    k.state_.shift = !k.state_.shift;
  for (const char ch : kLatinRows[3]) {
    std::string c(1, ch);
    if (k.state_.shift && ch >= 'a' && ch <= 'z') c[0] = static_cast<char>(ch - 'a' + 'A');
    if (k.Key(c, c, w, false)) k.Type(c);
  }
  if (!email) return;
  // The mail domains, as many to a row as their labels fit (one row on a landscape screen, two in portrait).
  float widest = 0;
  for (const auto domain : kMailDomains)
    widest = std::max(widest, ImGui::CalcTextSize(domain.data(), domain.data() + domain.size()).x);
  const float avail = ImGui::GetContentRegionAvail().x;
  const int per_row =
      std::clamp(static_cast<int>((avail + k.gap_) / (widest + theme::Px(24) + k.gap_)), 2, 8);
  const float wd = k.Width(per_row);
  int i = 0;
  for (const auto domain : kMailDomains)
    if (k.Key(domain, domain, wd, i++ % per_row == 0)) k.Type(std::string(domain));
}

void Numbers(Keys& k) {
  const float w = k.Width(3);
  for (const auto& row : kNumberRows)
    for (int i = 0; i < 3; ++i) {
      if (row[i].empty()) {  // under 9: nothing (削除 is in the last row)
        ImGui::SameLine(0, k.gap_);
        ImGui::Dummy(ImVec2(w, k.h_));
        continue;
      }
      if (k.Key(row[i], row[i], w, i == 0)) k.Type(std::string(row[i]));
    }
}

}  // namespace

void ApplyTextEdit(std::string& value, const Registry::TextEdit& edit) {
  switch (edit.kind) {
    case Edit::kInsert:
      value += edit.text;
      break;
    case Edit::kBackspace:
      if (!value.empty()) value.erase(LastCharStart(value));
      break;
    case Edit::kVoiced:
      Toggle(value, kVoiced);
      break;
    case Edit::kSemiVoiced:
      Toggle(value, kSemiVoiced);
      break;
    case Edit::kSmall:
      Toggle(value, kSmall);
      break;
  }
}

float OnScreenKeyboard(Registry& reg, Lang lang, KeyboardState& state) {
  if (reg.text_target.id.empty()) return 0;
  if (state.field != reg.text_target.id) {  // a new field: its own layout
    state.field = reg.text_target.id;
    const int kb = reg.text_target.keyboard;
    state.layout = kb == kKeyboardKana                            ? KeyLayout::kKana
                   : kb == kKeyboardNumeric || kb == kKeyboardTel ? KeyLayout::kNumbers
                                                                  : KeyLayout::kLatin;
    state.shift = false;
  }
  const float top = ImGui::GetCursorScreenPos().y;
  Keys k(reg, lang, state);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(k.gap_, k.gap_));
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, theme::Px(1));
  switch (state.layout) {
    case KeyLayout::kKana:
      Kana(k);
      break;
    case KeyLayout::kLatin:
      Latin(k, reg.text_target.keyboard == kKeyboardEmail);
      break;
    case KeyLayout::kSymbols:
      CharRows(k, kSymbolRows, 4, 10, false);
      break;
    case KeyLayout::kNumbers:
      Numbers(k);
      break;
  }
  // The last row: the layouts, 空白, 削除, 次へ (the next field of the form: no field is ever out of reach
  // under the keyboard), 閉じる.
  const float w = k.Width(8);
  struct Switch {
    KeyLayout layout;
    const char* id;
    const char* key;
  };
  static constexpr Switch kSwitches[4] = {{KeyLayout::kKana, "osk.layout.kana", "osk.kana"},
                                          {KeyLayout::kLatin, "osk.layout.latin", "osk.latin"},
                                          {KeyLayout::kNumbers, "osk.layout.numbers", "osk.numbers"},
                                          {KeyLayout::kSymbols, "osk.layout.symbols", "osk.symbols"}};
  for (int i = 0; i < 4; ++i) {
    if (i > 0) ImGui::SameLine(0, k.gap_);
    const Switch& s = kSwitches[i];
    if (k.Press(s.id, k.T(s.key), k.T(s.key), w, Toggle(state.layout == s.layout))) state.layout = s.layout;
  }
  ImGui::SameLine(0, k.gap_);
  if (k.Press("osk.space", k.T("osk.space"), k.T("osk.space"), w)) k.Type(" ");
  ImGui::SameLine(0, k.gap_);
  if (k.Press("osk.backspace", k.T("osk.delete"), k.T("osk.backspace"), w)) k.Do(Edit::kBackspace);
  ImGui::SameLine(0, k.gap_);
  const auto& fields = reg.text_fields;
  auto at =
      std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.id == reg.text_target.id; });
  const bool has_next = at != fields.end() && at + 1 != fields.end();
  ImGui::SameLine(0, k.gap_);
  if (k.Press("osk.next", k.T("osk.next"), k.T("osk.next"), w) && has_next) {
    reg.text_target = *(at + 1);
    reg.RequestFocus(reg.text_target.id);
    reg.RevealItem(reg.text_target.id);
  }
  ImGui::SameLine(0, k.gap_);
  if (k.Press("osk.close", k.T("osk.close"), k.T("osk.close"), w)) reg.text_target = {};
  ImGui::PopStyleVar(2);
  return ImGui::GetCursorScreenPos().y - top;
}

}  // namespace mizu::web::ui
