#pragma once
// Bridges ImGui text fields to a real, positioned HTML <input>, so IME composition, phone soft keyboards and
// paste work. Called every frame with what ImGui wants; the browser side forwards committed text back.
namespace mizu::web {

// want: a text field is active; x,y,w,h: its rect in device pixels; password: mask on the HTML side too.
void SyncTextInput(bool want, float x, float y, float w, float h, bool password);

}  // namespace mizu::web
