// The page side of the web app: starts the font download in parallel with the wasm, hands the bytes over,
// bridges the HTML text input (IME, soft keyboards, paste) and exposes window.mizu for tests and tools.
'use strict';
(function () {
  // The content-hashed names of this build's files, filled in by web/tools/make_dist.py (empty: names as they are).
  const assets = /*@ASSETS@*/{};
  const asset = (name) => assets[name] || name;
  const canvas = document.getElementById('canvas');
  const input = document.getElementById('mizu-text');
  const fontBytes = fetch(asset('fonts/ui.ttf')).then((r) => {
    if (!r.ok) throw new Error('font ' + r.status);
    return r.arrayBuffer();
  });
  let composing = false;

  function sendText(text) {
    if (!text || !window.Module || !Module._mizu_on_text) return;
    const size = Module.lengthBytesUTF8(text) + 1;
    const ptr = Module._malloc(size);
    Module.stringToUTF8(text, ptr, size);
    Module._mizu_on_text(ptr);
    Module._free(ptr);
  }

  // The input lies over the field being edited: scrolling (wheel, or a finger on a phone) over it must still
  // scroll the app, so hand those events to the canvas.
  input.addEventListener('wheel', (e) => {
    e.preventDefault();
    canvas.dispatchEvent(new WheelEvent('wheel', e));
  }, { passive: false });
  input.addEventListener('compositionstart', () => { composing = true; });
  input.addEventListener('compositionend', (e) => {
    composing = false;
    sendText(e.data || input.value);
    input.value = '';
  });
  input.addEventListener('input', (e) => {
    if (composing || e.isComposing) return;  // the IME commits at compositionend
    sendText(input.value);
    input.value = '';
  });

  let runtimeUp = false;
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
      window.mizuShell.dataFontLoaded = true;
    }).catch((err) => console.error('mizumori: could not load the data font', err)).finally(registerServiceWorker);
  }
  // The service worker (the installed app opens without the network): registered once the first frame and the
  // data font are in, so its precaching never competes with them; only in a built dist, which has sw.js.
  function registerServiceWorker() {
    if (!('serviceWorker' in navigator) || Object.keys(assets).length === 0) return;
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
        document.body.classList.add('mizu-ready');
        loadDataFont();
      }).catch((err) => {
        console.error('mizumori: could not load the font', err);
      });
    },
    // Places the input over the active field (CSS px) and focuses it, or hides and blurs it.
    syncTextInput(want, x, y, w, h, password, keyboard) {
      if (want) {
        // The soft keyboard phones show: text, e-mail, telephone digits or plain digits.
        input.type = password ? 'password' : (keyboard === 1 ? 'email' : 'text');
        input.inputMode = ['text', 'email', 'tel', 'numeric'][keyboard] || 'text';
        Object.assign(input.style, { left: x + 'px', top: y + 'px', width: w + 'px', height: h + 'px' });
        if (document.activeElement !== input) input.focus({ preventScroll: true });
      } else {
        input.style.left = '-1000px';
        if (document.activeElement === input) input.blur();
        input.value = '';
      }
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
    items: () => JSON.parse(Module.UTF8ToString(Module._mizu_items_json())),
    frames: () => Module._mizu_frame_count(),
    inputPending: () => Module._mizu_input_pending(),
    atlas: () => JSON.parse(Module.UTF8ToString(Module._mizu_atlas_json())),  // {width, height, glyphs, fonts}  // input events not yet applied to a frame
    dataFontLoaded: () => !!window.mizuShell.dataFontLoaded,
  };
})();
