#pragma once
// The page URL's hash ("#/usage"): every screen has a route, so the browser's back/forward buttons and a
// reload land on the same screen. Navigation inside the app pushes history entries; back/forward call the
// handler.
#include <functional>
#include <string>

namespace mizu::web {

// The current hash without the leading "#" ("/usage"), "" when none.
std::string CurrentHash();
// Sets the hash as a new history entry (replace = false) or in place of the current one.
void SetHash(const std::string& hash, bool replace);
// Called with the new hash when the user goes back/forward or edits the URL.
void OnHashChange(std::function<void(const std::string&)> handler);

// A shared terminal (a counter kiosk) keeps nothing of a visitor in the browser: from this call on, SetHash
// only ever replaces the one history entry (戻る has nothing of the last visitor to go back to) and
// SavePreference stores nothing. Every hash set afterwards carries `hash_query` ("kiosk=<token>", after "?"
// or
// "&"), so a reload of any screen (F5, a crashed tab's 再読み込み) starts the kiosk again, never a browser.
void KeepNoHistory(const std::string& hash_query);
// Starts the page afresh at `hash` in place of the current history entry: a new document, a new wasm module
// (its memory, the glyph atlas and every buffer of the old one are gone with the old document).
void RestartPage(const std::string& hash);

// A small preference kept in the browser (localStorage), e.g. the chosen language; "" when none or
// unavailable.
std::string LoadPreference(const std::string& key);
void SavePreference(const std::string& key, const std::string& value);
// The browser's default text size relative to 16 px (the OS/browser font-size setting: 20 px → 1.25), read
// from the root element's computed font-size; 1 when unknown. The app scales its 「文字サイズ」 by it.
float BrowserTextScale();

}  // namespace mizu::web
