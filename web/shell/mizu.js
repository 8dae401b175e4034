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

  // Web Push (web/platform/push.hpp, docs/notifications.md): op 0 query, 1 subscribe with the VAPID key
  // (base64url), 2 unsubscribe; the state goes back as JSON through Module._mizu_push_done(id, json).
  window.mizuPush = (op, id, key) => {
    const ua = navigator.userAgent;
    const os = /iPad/.test(ua) ? 'iPad' : /iPhone/.test(ua) ? 'iPhone' : /Android/.test(ua) ? 'Android'
      : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'Mac' : /Linux/.test(ua) ? 'Linux' : '';
    const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome'
      : /Safari\//.test(ua) ? 'Safari' : 'Browser';
    const answer = (state) => {
      const text = JSON.stringify(Object.assign({ device: (os + ' ' + browser).trim() }, state));
      const size = Module.lengthBytesUTF8(text) + 1;
      const ptr = Module._malloc(size);
      Module.stringToUTF8(text, ptr, size);
      Module._mizu_push_done(id, ptr);
      Module._free(ptr);
    };
    const message = (e) => String((e && e.message) || e);
    if (!('serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window)) {
      answer({ permission: 'unsupported', subscription: '' });
      return;
    }
    const keyBytes = (b64) => {
      const s = atob(b64.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((b64.length + 3) % 4));
      return Uint8Array.from(s, (c) => c.charCodeAt(0));
    };
    const state = (reg, error) => reg.pushManager.getSubscription().then((sub) => answer({
      permission: Notification.permission, subscription: sub ? JSON.stringify(sub.toJSON()) : '', error: error || '',
    }));
    // The worker registers at start-up; a page without one (plain http on a LAN address) has no push.
    const registration = Promise.race([navigator.serviceWorker.ready,
      new Promise((resolve) => setTimeout(() => resolve(null), 5000))]);
    registration.then((reg) => {
      if (!reg) return answer({ permission: 'unsupported', subscription: '' });
      if (op === 0) return state(reg);
      if (op === 2) {
        return reg.pushManager.getSubscription().then((sub) => (sub ? sub.unsubscribe() : true))
          .then(() => state(reg), (e) => state(reg, message(e)));
      }
      return Notification.requestPermission().then((p) => (p !== 'granted' ? state(reg)
        : reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) })
          .then(() => state(reg), (e) => state(reg, message(e)))));
    }).catch((e) => answer({ permission: 'unsupported', subscription: '', error: message(e) }));
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
