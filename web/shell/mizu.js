// The page side of the web app: starts the font download in parallel with the wasm, hands the bytes over,
// registers the fonts for the semantics layer's text fields (semantics.js) and exposes window.mizu for tests
// and tools.
'use strict';
(function () {
  // The content-hashed names of this build's files, filled in by web/tools/make_dist.py (empty: names as they are).
  const assets = /*@ASSETS@*/{};
  const asset = (name) => assets[name] || name;
  const canvas = document.getElementById('canvas');
  const fontBytes = fetch(asset('fonts/ui.ttf')).then((r) => {
    if (!r.ok) throw new Error('font ' + r.status);
    return r.arrayBuffer();
  });
  let runtimeUp = false;
  // A counter kiosk (its start URL carries the terminal's token, docs/kiosk.md, and so does every hash of its
  // screens) keeps nothing: no service worker and its caches. The same test as StartKiosk (web/ui/kiosk.cpp).
  const kiosk = /^#\/[^?]*\?(.*&)?kiosk=[^&]/.test(window.location.hash);
  // And wipes, at every start of the page (every visit starts one), whatever a site's page could have left in
  // the browser's stores: the app writes none of them at a kiosk, this makes sure.
  if (kiosk) {
    try { localStorage.clear(); sessionStorage.clear(); } catch (e) { /* storage disabled */ }
    if (window.indexedDB && indexedDB.databases)
      indexedDB.databases().then((dbs) => dbs.forEach((db) => indexedDB.deleteDatabase(db.name))).catch(() => {});
    if (window.caches) caches.keys().then((keys) => keys.forEach((k) => caches.delete(k))).catch(() => {});
    if (navigator.serviceWorker)
      navigator.serviceWorker.getRegistrations().then((rs) => rs.forEach((r) => r.unregister())).catch(() => {});
  }
  // The app's fonts for the text a focused field shows in its DOM twin (the same letters as the canvas).
  function addFont(family, buf) {
    if (!window.FontFace || !document.fonts) return;
    new FontFace(family, buf).load().then((f) => document.fonts.add(f)).catch(() => {});
  }
  // Kanji that arrive in data (names, addresses) come from the JIS level 1+2 subset, fetched after the first
  // frame so it never delays it.
  function loadDataFont() {
    fetch(asset('fonts/jis.ttf')).then((r) => {
      if (!r.ok) throw new Error('font ' + r.status);
      return r.arrayBuffer();
    }).then((buf) => {
      const bytes = new Uint8Array(buf);
      const ptr = Module._malloc(bytes.length);
      Module.HEAPU8.set(bytes, ptr);
      Module._mizu_set_data_font(ptr, bytes.length);
      addFont('mizu-data', buf);
      window.mizuShell.dataFontLoaded = true;
    }).catch((err) => console.error('mizumori: could not load the data font', err)).finally(registerServiceWorker);
  }
  // The service worker (the installed app opens without the network): registered once the first frame and the
  // data font are in, so its precaching never competes with them; only in a built dist, which has sw.js.
  function registerServiceWorker() {
    if (kiosk || !('serviceWorker' in navigator) || Object.keys(assets).length === 0) return;
    navigator.serviceWorker.register('sw.js').catch((err) => console.warn('mizumori: no service worker', err));
  }
  window.mizuShell = {
    runtimeReady() {
      runtimeUp = true;
      fontBytes.then((buf) => {
        const bytes = new Uint8Array(buf);
        const ptr = Module._malloc(bytes.length);
        Module.HEAPU8.set(bytes, ptr);
        Module._mizu_set_font(ptr, bytes.length);  // the wasm side takes ownership
        addFont('mizu-ui', buf);
        document.body.classList.add('mizu-ready');
        loadDataFont();
      }).catch((err) => {
        console.error('mizumori: could not load the font', err);
      });
    },
  };

  window.Module = {
    canvas,
    locateFile: (path, prefix) => prefix + asset(path),  // mizumori_web.wasm under its hashed name
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
  };

  window.mizu = {
    ready: () => runtimeUp && Module._mizu_is_ready() === 1,
    items: () => JSON.parse(Module.UTF8ToString(Module._mizu_items_json())).items,
    frames: () => Module._mizu_frame_count(),
    inputPending: () => Module._mizu_input_pending(),
    atlas: () => JSON.parse(Module.UTF8ToString(Module._mizu_atlas_json())),  // {width, height, glyphs, fonts}  // input events not yet applied to a frame
    dataFontLoaded: () => !!window.mizuShell.dataFontLoaded,
    semanticsStats: () => JSON.parse(Module.UTF8ToString(Module._mizu_semantics_stats())),  // {frames, ms_total, ms_max}
    // The id of the text field whose DOM twin has focus (being edited), or null.
    editing: () => {
      const a = document.activeElement;
      return a && a.tagName === 'INPUT' && a.dataset.mizuId && a.closest('#mizu-semantics') ? a.dataset.mizuId : null;
    },
  };
})();
