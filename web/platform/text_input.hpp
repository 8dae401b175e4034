#pragma once
// Bridges ImGui text fields to a real, positioned HTML <input>, so IME composition, phone soft keyboards and
// paste work. Called every frame with what ImGui wants; the browser side forwards committed text back.
namespace mizu::web {

// The soft keyboard a phone shows for a field (the HTML input's inputmode/type).
enum TextKeyboard { kKeyboardText = 0, kKeyboardEmail = 1, kKeyboardTel = 2, kKeyboardNumeric = 3 };
// want: a text field is active; x,y,w,h: its rect in device pixels; password: mask on the HTML side too.
void SyncTextInput(bool want, float x, float y, float w, float h, bool password,
                   int keyboard = kKeyboardText);
// True when a text field is active and (x, y) (device pixels) is outside it: a press there must end the edit
// before widgets are hit-tested (Dear ImGui 1.86 otherwise swallows that first press).
bool PressLeavesTextField(float x, float y);

}  // namespace mizu::web
