// Accessibility checks shared by the a11y e2e suites: axe-core over the semantics layer, Chromium's own
// accessibility tree (CDP Accessibility.getFullAXTree) compared with the app's item registry, Tab walking, and
// WCAG contrast measured on the drawn pixels.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { waitUntil } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

// Runs axe over the page (the semantics layer is the page's content) and returns the violations.
export async function axe(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return { passes: r.passes.length, violations: r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) })) };
  });
}

export async function assertAxeClean(page, what) {
  // Let the layer catch up with the last frame before checking.
  await waitUntil(page, () => document.querySelectorAll('#mizu-semantics [data-mizu-id]').length > 3, `${what}: twins`);
  const r = await axe(page);
  assert.ok(r.passes > 5, `${what}: axe ran (${r.passes} rules passed)`);
  assert.deepEqual(r.violations, [], `${what}: axe violations ${JSON.stringify(r.violations, null, 1)}`);
}

// Chromium's accessibility tree, flattened in document order: [{role, name}] of the nodes that are not ignored.
export async function axTree(page) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const out = [];
  const walk = (n) => {
    if (!n) return;
    if (!n.ignored) out.push({ role: n.role?.value, name: n.name?.value ?? '' });
    for (const c of n.childIds || []) walk(byId.get(c));
  };
  walk(nodes.find((n) => !n.parentId));
  return out;
}

// The index of each wanted {role, name} in the tree, asserting they all appear in this order.
export function assertInOrder(tree, wanted, what) {
  let at = -1;
  for (const w of wanted) {
    const i = tree.findIndex((n, k) => k > at && n.role === w.role && n.name === w.name);
    assert.ok(i > at, `${what}: ${w.role} "${w.name}" after position ${at}; tree: ${JSON.stringify(tree.filter((n) => n.name).slice(0, 80))}`);
    at = i;
  }
}

// Presses Tab until the focused twin is `id` (at most `limit` presses); returns the presses needed.
export async function tabTo(page, id, limit = 40) {
  for (let k = 0; k < limit; ++k) {
    const focused = await page.evaluate(() => document.activeElement?.closest('[data-mizu-id]')?.dataset.mizuId ?? null);
    if (focused === id) return k;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${id}`);
}

// WCAG 1.4.3 on the drawn pixels: for each text item, the colour in its rect that stands out most from the
// rect's most common colour (its background) must reach 4.5:1 — the relative luminance formula of WCAG 2.1.
export async function textContrasts(page) {
  const png = (await page.screenshot()).toString('base64');
  return page.evaluate(async (png) => {
    const blob = await (await fetch('data:image/png;base64,' + png)).blob();
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const g = canvas.getContext('2d');
    g.drawImage(bitmap, 0, 0);
    const scale = bitmap.width / window.innerWidth;
    const lum = (r, gr, b) => {
      const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(gr) + 0.0722 * f(b);
    };
    const out = [];
    for (const item of window.mizu.items()) {
      if (!['heading', 'text', 'field', 'brand', 'link', 'button', 'alert', 'status'].includes(item.role) || !item.enabled) continue;
      const { x, y, w, h } = item.rect;
      if (w < 4 || h < 4 || y < 0 || y + h > window.innerHeight || x < 0 || x + w > window.innerWidth) continue;
      const data = g.getImageData(Math.round(x * scale), Math.round(y * scale), Math.round(w * scale), Math.round(h * scale)).data;
      const counts = new Map();
      for (let i = 0; i < data.length; i += 4) {
        const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        counts.set(key, (counts.get(key) || 0) + 1);
      }
      let bg = 0, most = 0;
      for (const [k, n] of counts) if (n > most) { most = n; bg = k; }
      const lb = lum(bg >> 16, (bg >> 8) & 255, bg & 255);
      let best = 1;
      for (const k of counts.keys()) {
        const l = lum(k >> 16, (k >> 8) & 255, k & 255);
        best = Math.max(best, (Math.max(l, lb) + 0.05) / (Math.min(l, lb) + 0.05));
      }
      out.push({ id: item.id, label: item.label, ratio: best });
    }
    return out;
  }, png);
}


// What Chromium's accessibility tree must list for the items the app drew, in the app's reading order: the
// role each twin is built as and the name a screen reader says (the drawn words). Texts and fields are
// static text; table rows are their cells; the chart is an image named by its summary.
export async function expectedFromRegistry(page) {
  return page.evaluate(() => {
    const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
    const out = [];
    for (const item of window.mizu.items()) {
      const twin = document.querySelector(`#mizu-semantics [data-mizu-id="${CSS.escape(item.id)}"]`);
      if (!twin || item.hidden) continue;  // hidden: said by another twin (a chart's table)
      const text = norm(twin.textContent);
      switch (item.role) {
        case 'heading': out.push({ role: 'heading', name: norm(item.label), id: item.id }); break;
        case 'input': case 'password': out.push({ role: 'textbox', name: norm(item.label), id: item.id }); break;
        case 'button': case 'select': case 'bar': out.push({ role: 'button', name: text, id: item.id }); break;
        case 'link': out.push({ role: 'link', name: norm(item.label), id: item.id }); break;
        case 'checkbox': case 'radio': out.push({ role: item.role, name: norm(item.label), id: item.id }); break;
        case 'chart': out.push({ role: 'image', name: norm(twin.getAttribute('aria-label')), id: item.id }); break;
        case 'table': for (const h of item.cells || []) out.push({ role: 'columnheader', name: norm(h), id: item.id }); break;
        case 'row':
          if (twin.tagName === 'TR') for (const c of item.cells || []) out.push({ role: 'cell', name: norm(c), id: item.id });
          else out.push({ role: 'StaticText', name: text, id: item.id });
          break;
        default: if (text) out.push({ role: 'StaticText', name: text, id: item.id });
      }
    }
    return out;
  });
}

// Asserts that every drawn item is in Chromium's accessibility tree with its role and name, in reading order.
// Returns how many nodes were matched.
export async function assertTreeMatchesRegistry(page, what) {
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const wanted = await expectedFromRegistry(page);
  const tree = (await axTree(page)).map((n) => ({ role: n.role, name: norm(n.name) }));
  let at = -1;
  for (const w of wanted) {
    const i = tree.findIndex((n, k) => k > at && n.role === w.role && n.name === w.name);
    assert.ok(i > at, `${what}: ${w.id} as ${w.role} "${w.name}" after tree position ${at}; next: ${JSON.stringify(tree.slice(at + 1, at + 8))}`);
    at = i;
  }
  return wanted.length;
}

// WCAG 1.4.11 on the drawn pixels: each control's boundary (a text field's border, a check box's or radio's
// box) against the background just outside it, and the keyboard focus ring against what surrounds it.
// Returns [{id, ratio}] for the visible controls.
export async function controlContrasts(page) {
  const png = (await page.screenshot()).toString('base64');
  return page.evaluate(async (png) => {
    const bitmap = await createImageBitmap(await (await fetch('data:image/png;base64,' + png)).blob());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const g = canvas.getContext('2d');
    g.drawImage(bitmap, 0, 0);
    const s = bitmap.width / window.innerWidth;
    const lum = ([r, gr, b]) => {
      const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(gr) + 0.0722 * f(b);
    };
    const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
    const px = (x, y) => [...g.getImageData(Math.round(x * s), Math.round(y * s), 1, 1).data.slice(0, 3)];
    // The colour in [x0, x1] × [y0, y1] (CSS px) that stands out most from `bg`.
    const strongest = (x0, x1, y0, y1, bg) => {
      const d = g.getImageData(Math.round(x0 * s), Math.round(y0 * s), Math.max(1, Math.round((x1 - x0) * s)), Math.max(1, Math.round((y1 - y0) * s))).data;
      let best = 1;
      for (let i = 0; i < d.length; i += 4) best = Math.max(best, ratio([d[i], d[i + 1], d[i + 2]], bg));
      return best;
    };
    const out = [];
    for (const item of window.mizu.items()) {
      const { x, y, w, h } = item.rect;
      if (x < 8 || y < 8 || y + h > window.innerHeight - 8 || w < 20) continue;
      const mid = y + h / 2;
      const bg = px(x - 5, mid);
      if (item.role === 'input' || item.role === 'password') {
        out.push({ id: item.id, kind: 'border', ratio: strongest(x - 1, x + 3, mid - 4, mid + 4, bg) });
      } else if (item.role === 'checkbox' || item.role === 'radio') {
        out.push({ id: item.id, kind: 'box', ratio: strongest(x - 1, x + 6, mid - 4, mid + 4, bg) });
      }
    }
    // The focus ring of the focused twin: 3 px drawn 2 px outside its box, against the page 10 px further out.
    const focused = document.activeElement?.closest?.('[data-mizu-id]');
    if (focused && focused !== document.body) {
      const r = focused.getBoundingClientRect();
      const mid = r.y + r.height / 2;
      out.push({ id: focused.dataset.mizuId, kind: 'focus ring',
        ratio: strongest(r.x - 6, r.x - 1, mid - 2, mid + 2, px(r.x - 14, mid)) });
    }
    return out;
  }, png);
}
