// The semantics layer (docs/accessibility.md): the app draws every screen into one <canvas>; this keeps a DOM
// twin of every item it draws — heading, text, button, link, field, check box, radio, table, chart — in step
// with the canvas, so screen readers, keyboards, browser zoom tools and automated checkers see the app. The
// same idea as Flutter's web semantics tree.
//
// - After each frame whose items changed, the runner calls mizuSemantics.sync(json) with the registry
//   (web/ui/registry.hpp): {lang, focus, items: [{id, role, label, value, enabled, rect (CSS px), error,
//   required, inputmode, cells, shown}]}. Twins are created, updated (only what changed) and removed by id;
//   their DOM order is the drawing order (the reading order); each lies over its drawn item.
// - Twins are transparent and let pointer events through to the canvas (mouse and touch behave as drawn);
//   keyboard focus, screen-reader activation and text editing happen on the twins and are sent back to the
//   app (Module._mizu_semantic_action): activate (0), DOM focus (1), a field's new value (2).
// - A text field's twin is the real <input> it is edited in: shown over the drawn field while it has focus, so
//   IME composition, soft keyboards (inputmode), paste and autofill are the browser's own.
'use strict';
(function () {
  const ACTIVATE = 0, FOCUS = 1, VALUE = 2, SCROLL_BY = 3;
  const root = document.createElement('div');
  root.id = 'mizu-semantics';
  const skip = document.createElement('a');
  skip.className = 'mizu-skip';
  skip.href = '#';
  skip.textContent = '本文へ移動';
  const announcer = document.createElement('div');  // form errors, read out when they appear
  announcer.className = 'mizu-announce';
  announcer.setAttribute('aria-live', 'assertive');
  root.append(skip, announcer);

  const twins = new Map();  // id -> twin {id, role, tag, el, field?, state{}}
  let lastHeading = null;
  let lastActivation = 0;
  let lang = 'ja';
  let escapeId = null;  // the item Esc performs on this screen (a dialog's いいえ, 戻る, an open list)
  let defaultId = null;  // the button Enter performs from a text field (ログイン, 確認, 保存する)

  function send(kind, id, value) {
    const M = window.Module;
    if (!M || !M._mizu_semantic_action) return;
    const cstr = (s) => {
      const size = M.lengthBytesUTF8(s) + 1;
      const p = M._malloc(size);
      M.stringToUTF8(s, p, size);
      return p;
    };
    const a = cstr(id), b = cstr(value || '');
    M._mizu_semantic_action(kind, a, b);
    M._free(a);
    M._free(b);
  }
  function activate(id) {
    lastActivation = performance.now();
    send(ACTIVATE, id);
  }

  // Esc closes what is open: the app names the item (Registry::SetEscape), the layer activates it. An IME
  // composition keeps its own Esc (it cancels the conversion).
  // Esc in a text field is the field's own (browsers clear or leave it): it never leaves a screen with the input.
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.isComposing || !escapeId || e.target.tagName === 'INPUT' && e.target.type !== 'radio' && e.target.type !== 'checkbox') return;
    e.preventDefault();
    activate(escapeId);
  });
  // The keys that scroll a page scroll the app's content when focus is not in a text field or a radio group
  // (whose arrows move the choice): the app scrolls by that many CSS px (Home/End: to the top/bottom).
  const SCROLL = { PageDown: 0.85, PageUp: -0.85, End: 1e6, Home: -1e6, ArrowDown: 0.1, ArrowUp: -0.1 };
  document.addEventListener('keydown', (e) => {
    if (!(e.key in SCROLL) || e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
    const t = e.target;
    if (t.tagName === 'INPUT' && t.type !== 'checkbox') return;
    e.preventDefault();
    const px = Math.abs(SCROLL[e.key]) >= 1e6 ? SCROLL[e.key] : Math.round(SCROLL[e.key] * window.innerHeight);
    send(SCROLL_BY, '', String(px));
  });

  skip.addEventListener('click', (e) => {
    e.preventDefault();
    const h = firstHeading();
    if (h) h.el.focus();
  });

  // A grid of buttons (the registry's `grid`: a calendar's days) is one Tab stop, as the WAI-ARIA APG's roving
  // tabindex: while focus is inside, the member focused is the stop and the arrow keys move it (← → one
  // member, ↑ ↓ a row of `grid_columns`; at an edge they stay); while it is outside, the member the app names
  // (`grid_stop`: the chosen day, else the first offered) is where Tab enters.
  const gridStops = new Map();  // grid -> id of the member the app names
  const GRID_STEP = { ArrowLeft: () => -1, ArrowRight: () => 1, ArrowUp: (c) => -c, ArrowDown: (c) => c };
  function gridMembers(grid) {
    return [...root.querySelectorAll('[data-grid]')].filter((m) => m.dataset.grid === grid);
  }
  function rove(grid, stop) {
    for (const m of gridMembers(grid)) m.tabIndex = m === stop ? 0 : -1;
  }
  function restGrid(grid) {
    const a = document.activeElement;
    if (a && a.dataset && a.dataset.grid === grid) return rove(grid, a);  // members new this sync come tabbable
    const t = twins.get(gridStops.get(grid));
    rove(grid, t ? t.el : null);
  }
  function gridKey(e, t) {
    const grid = t.el.dataset.grid;
    if (!grid || !(e.key in GRID_STEP) || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    e.stopPropagation();  // not the page scroll the arrow keys do elsewhere
    if (e.shiftKey) return;  // nothing to extend: one day is picked
    const members = gridMembers(grid);
    const to = members[members.indexOf(t.el) + GRID_STEP[e.key](t.gridColumns || 1)];
    if (to) to.focus();
  }

  function firstHeading() {
    for (const t of twins.values()) if (t.role === 'heading' && t.tag === 'h1') return t;
    return null;
  }

  // The element a role is drawn as, and how it is built.
  function tagFor(item, isFirstHeading) {
    switch (item.role) {
      case 'heading': return isFirstHeading ? 'h1' : 'h2';
      case 'button': case 'select': case 'bar': return 'button';
      case 'link': return 'a';
      case 'checkbox': case 'radio': return 'label';
      case 'input': case 'password': return 'input';
      case 'table': return 'table';
      case 'row': return item.inTable ? 'tr' : 'p';
      case 'chart': return 'div';
      default: return 'p';
    }
  }

  function create(item, tag) {
    const el = document.createElement(tag);
    const t = { id: item.id, role: item.role, tag, el, state: {} };
    el.dataset.mizuId = item.id;
    if (tag === 'button') {
      el.type = 'button';
      el.addEventListener('click', () => activate(item.id));
      el.addEventListener('keydown', (e) => gridKey(e, t));
      el.addEventListener('focus', () => { if (el.dataset.grid) rove(el.dataset.grid, el); });
      el.addEventListener('focusout', (e) => {
        const grid = el.dataset.grid, to = e.relatedTarget;
        if (grid && !(to && to.dataset && to.dataset.grid === grid)) restGrid(grid);
      });
    } else if (tag === 'a') {
      el.href = '#';
      el.addEventListener('click', (e) => { e.preventDefault(); activate(item.id); });
    } else if (tag === 'label') {
      const box = document.createElement('input');
      box.type = item.role;
      if (item.role === 'radio') box.name = item.id.replace(/\.[^.]*$/, '');
      const text = document.createElement('span');
      el.append(box, text);
      t.box = box;
      t.text = text;
      // The app owns the state: the click asks it, the next sync shows what it decided.
      box.addEventListener('click', (e) => { e.preventDefault(); activate(item.id); });
    } else if (tag === 'input') {
      t.composing = false;
      t.sent = null;
      el.addEventListener('compositionstart', () => { t.composing = true; });
      el.addEventListener('compositionend', () => { t.composing = false; t.sent = el.value; send(VALUE, item.id, el.value); });
      el.addEventListener('input', (e) => {
        if (t.composing || e.isComposing) return;  // the IME commits at compositionend
        t.sent = el.value;
        send(VALUE, item.id, el.value);
      });
      // Enter submits the form: the screen's default button (its value has already been sent on input).
      el.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter' || e.isComposing || t.composing) return;
        e.preventDefault();
        if (defaultId) activate(defaultId);
      });
      el.addEventListener('wheel', (e) => {  // scrolling over the field still scrolls the app
        e.preventDefault();
        document.getElementById('canvas').dispatchEvent(new WheelEvent('wheel', e));
      }, { passive: false });
      const err = document.createElement('span');
      err.className = 'mizu-error';
      err.id = 'mizu-err-' + item.id;
      t.err = err;
    } else if (tag === 'table') {
      el.append(document.createElement('thead'), document.createElement('tbody'));
    } else if (tag === 'h1' || tag === 'h2') {
      el.tabIndex = -1;  // a new screen moves focus here
    }
    if (tag === 'div' && item.role === 'chart') el.setAttribute('role', 'img');
    if (item.role === 'alert') el.setAttribute('role', 'alert');
    if (item.role === 'status') el.setAttribute('role', 'status');
    el.addEventListener('focus', () => send(FOCUS, item.id), true);
    el.addEventListener('blur', () => {
      // Focus that leaves the twins (to the canvas or the page) tells the app that no twin has it.
      setTimeout(() => { if (!root.contains(document.activeElement)) send(FOCUS, ''); }, 0);
    }, true);
    return t;
  }

  function set(t, key, value, apply) {
    if (t.state[key] === value) return;
    t.state[key] = value;
    apply(value);
  }
  function attr(el, name, value) {
    if (value === null || value === undefined || value === false) el.removeAttribute(name);
    else el.setAttribute(name, value === true ? 'true' : value);
  }

  function place(t, r, pad) {
    set(t, 'rect', `${r.x},${r.y},${r.w},${r.h}`, () => {
      Object.assign(t.el.style, { left: r.x + 'px', top: r.y + 'px', width: Math.max(r.w, 1) + 'px',
        height: Math.max(r.h, 1) + 'px' });
    });
  }

  function update(t, item) {
    const el = t.el;
    const name = item.label || '';
    switch (t.tag) {
      case 'h1': case 'h2': case 'p': case 'a':
        set(t, 'text', textOf(item), (v) => { el.textContent = v; });
        break;
      case 'button':
        // A toggle's state ("true"/"false": 大文字, a keyboard layout) is aria-pressed, not words in its name.
        const toggle = item.role !== 'select' && (item.value === 'true' || item.value === 'false');
        set(t, 'text', item.shown || (item.role === 'select' ? `${name}: ${item.value}` : name + (item.value && !toggle ? ' ' + item.value : '')),
          (v) => { el.textContent = v; });
        set(t, 'pressed', toggle ? item.value : null, (v) => attr(el, 'aria-pressed', v));
        set(t, 'disabled', !item.enabled, (v) => attr(el, 'aria-disabled', v));
        set(t, 'hidden', !!item.hidden, (v) => { attr(el, 'aria-hidden', v); el.tabIndex = v ? -1 : 0; });
        set(t, 'expanded', item.expanded === undefined ? null : String(item.expanded), (v) => attr(el, 'aria-expanded', v));
        set(t, 'grid', item.grid || '', (v) => { if (v) el.dataset.grid = v; else delete el.dataset.grid; });
        t.gridColumns = item.grid_columns || 0;
        if (item.grid && item.grid_stop) gridStops.set(item.grid, item.id);
        break;
      case 'label':
        set(t, 'text', name, (v) => { t.text.textContent = v; });
        set(t, 'checked', item.value === 'true', (v) => { t.box.checked = v; });
        break;
      case 'input': updateField(t, item); break;
      case 'table':
        set(t, 'heads', JSON.stringify(item.cells || []), () => {
          const tr = document.createElement('tr');
          for (const h of item.cells || []) {
            const th = document.createElement('th');
            th.scope = 'col';
            th.textContent = h;
            tr.append(th);
          }
          el.tHead.replaceChildren(tr);
        });
        break;
      case 'tr':
        set(t, 'cells', JSON.stringify(item.cells || []), () => {
          el.replaceChildren(...(item.cells || []).map((c) => {
            const td = document.createElement('td');
            td.textContent = c;
            return td;
          }));
        });
        break;
      case 'div':
        // The chart's name: its legend and the sentence drawn with it (the registry's value is for tests).
        set(t, 'text', item.shown ? `${name}: ${item.shown}` : name, (v) => attr(el, 'aria-label', v));
        break;
    }
    if (t.tag !== 'tr') place(t, item.rect);
    else set(t, 'height', item.rect.h, (h) => { el.style.height = h + 'px'; });
  }

  function textOf(item) {
    const shown = item.shown || item.value;
    if (item.role === 'field') return `${item.label}: ${shown || '—'}`;
    if (item.role === 'row') return [item.label, item.value].filter(Boolean).join(' ');
    return item.label;
  }

  function updateField(t, item) {
    const el = t.el;
    const password = item.role === 'password';
    set(t, 'type', password ? 'password' : (item.inputmode === 'email' ? 'email' : (item.inputmode === 'tel' ? 'tel' : 'text')),
      (v) => { el.type = v; });
    set(t, 'inputmode', item.inputmode || 'text', (v) => { el.inputMode = v; });
    // The text being typed is as large as the drawn field's (17 px in a 48 px field, times 「文字サイズ」).
    set(t, 'font', Math.round(item.rect.h * 17 / 48) + 'px', (v) => { el.style.fontSize = v; });
    set(t, 'name', item.label, (v) => attr(el, 'aria-label', v));
    set(t, 'required', !!item.required, (v) => { el.required = v; attr(el, 'aria-required', v); });
    set(t, 'error', item.error || '', (v) => {
      t.err.textContent = v;
      attr(el, 'aria-invalid', v ? 'true' : null);
      attr(el, 'aria-describedby', v ? t.err.id : null);
    });
    set(t, 'autocomplete', item.autocomplete || (password ? 'current-password' : 'off'), (v) => { el.autocomplete = v; });
    // The app's value wins unless the user is mid-edit in this very field (then the app only echoes it back).
    const focused = document.activeElement === el;
    const filled = password ? (item.shown || '').length > 0 : null;
    if (password) {
      if (!filled && el.value !== '' && (!focused || t.sent !== '')) { el.value = ''; t.sent = ''; }
    } else if (!t.composing && el.value !== item.value && (!focused || item.value !== t.sent)) {
      el.value = item.value;
      t.sent = item.value;
    }
  }

  function sync(json) {
    const data = JSON.parse(json);
    const items = data.items || [];
    escapeId = data.escape || null;
    defaultId = data.default || null;
    // Focus on a twin that is about to go (its step or list closed) is not dropped on <body>: it moves to the
    // first twin this change brings, else to the nearest twin before the one that went.
    const active = document.activeElement;
    const focusedTwin = active && root.contains(active) ? active.closest('[data-mizu-id]') : null;
    const before = [];
    if (focusedTwin) for (let n = focusedTwin.previousElementSibling; n; n = n.previousElementSibling) if (n.dataset.mizuId) before.push(n.dataset.mizuId);
    const created = [];
    if (data.lang && data.lang !== lang) {
      lang = data.lang;
      document.documentElement.lang = lang;
      skip.textContent = lang === 'ja' ? '本文へ移動' : 'Skip to content';
    }
    // Twins whose items are gone leave first: a stale node left in place would make the ordering below move the
    // nodes after it, and moving a focused node takes its focus away.
    const present = new Set(items.map((i) => i.id));
    for (const [id, t] of twins) {
      if (present.has(id)) continue;
      t.el.remove();
      if (t.err) t.err.remove();
      twins.delete(id);
    }
    const seen = new Set();
    let headingSeen = false;
    let table = null;
    let prev = announcer;  // top-level twins follow the fixed nodes, in drawing order
    let prevRow = null;
    const newErrors = [];
    for (const item of items) {
      if (seen.has(item.id)) continue;  // ids are unique per frame; a repeat is ignored
      seen.add(item.id);
      item.inTable = item.role === 'row' && table !== null && item.id.startsWith(table.id + '.row.');
      if (item.role !== 'row') { if (item.role !== 'table') table = null; }
      const isFirstHeading = item.role === 'heading' && !headingSeen;
      if (item.role === 'heading') headingSeen = true;
      const tag = tagFor(item, isFirstHeading);
      let t = twins.get(item.id);
      if (t && (t.tag !== tag || t.role !== item.role)) {
        t.el.remove();
        if (t.err) t.err.remove();
        twins.delete(item.id);
        t = null;
      }
      if (!t) {
        t = create(item, tag);
        twins.set(item.id, t);
        created.push(t);
      }
      if ((item.error || '') && !t.state.error) newErrors.push(item);
      update(t, item);
      if (item.inTable) {
        const body = table.el.tBodies[0];
        const want = prevRow ? prevRow.nextSibling : body.firstChild;
        if (want !== t.el) body.insertBefore(t.el, want);
        prevRow = t.el;
        continue;
      }
      if (prev.nextSibling !== t.el) root.insertBefore(t.el, prev.nextSibling);
      prev = t.el;
      if (t.err) {
        if (prev.nextSibling !== t.err) root.insertBefore(t.err, prev.nextSibling);
        prev = t.err;
      }
      if (item.role === 'table') { table = t; prevRow = null; }
    }
    // Grids: the Tab stop where the app names it (twins created this time came as Tab stops).
    for (const grid of gridStops.keys()) {
      if (items.some((i) => i.grid === grid)) restGrid(grid);
      else gridStops.delete(grid);
    }
    // A new screen: its heading names the page and takes focus (so a screen reader starts reading there).
    const heading = firstHeading();
    const headingKey = heading ? heading.id : null;
    if (headingKey !== lastHeading) {
      lastHeading = headingKey;
      const brand = items.find((i) => i.role === 'brand');
      if (heading) {
        document.title = heading.state.text + (brand ? ' | ' + brand.label : '');
        if (!(document.activeElement && document.activeElement.tagName === 'INPUT')) heading.el.focus({ preventScroll: true });
      }
    }
    if (focusedTwin && !focusedTwin.isConnected && !root.contains(document.activeElement)) {
      const next = created.find((t) => t.tag !== 'tr') || before.map((id) => twins.get(id)).find(Boolean);
      if (next) {
        const el = next.box || next.el;
        if (!el.hasAttribute('tabindex') && !['BUTTON', 'A', 'INPUT'].includes(el.tagName)) el.tabIndex = -1;
        el.focus({ preventScroll: true });
      }
    }
    // Errors that appeared after a submit: read them out and move focus to the first field in error.
    if (newErrors.length > 0) {
      // One sentence per distinct error (one server answer may mark several fields with the same words).
      const said = new Set();
      announcer.textContent = newErrors.filter((i) => !said.has(i.error) && said.add(i.error))
        .map((i) => `${i.label}: ${i.error}`).join(' ');
      const field = newErrors.find((i) => i.role === 'input' || i.role === 'password');
      if (field && performance.now() - lastActivation < 5000) twins.get(field.id).el.focus({ preventScroll: true });
    }
    if (data.focus && twins.has(data.focus)) {
      const t = twins.get(data.focus);
      (t.box || t.el).focus({ preventScroll: true });
      if (t.tag === 'input') { const n = t.el.value.length; try { t.el.setSelectionRange(n, n); } catch (e) { /* email inputs */ } }
    }
  }

  document.addEventListener('DOMContentLoaded', () => document.body.prepend(root));
  if (document.body) document.body.prepend(root);
  window.mizuSemantics = { sync, twins };
})();
