// scripts/bench/web: the web app's transfer sizes as the real server sends them (identity, gzip, brotli) and its
// time to first frame in headless Chromium (navigation start → window.mizu.ready()), cold and warm, against
// same-run baselines from the same server. Not a test; run through scripts/bench/web.
// Options: --runs N (loads per kind, default 5).
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, waitForItem, tap, typeInto } from './harness.mjs';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;

function get(url, encoding) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: encoding ? { 'Accept-Encoding': encoding } : {} }, (res) => {
      let bytes = 0;
      res.on('data', (d) => { bytes += d.length; });
      res.on('end', () => resolve({ status: res.statusCode, bytes, encoding: res.headers['content-encoding'] || '' }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function getText(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.text();
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (n) => n.toLocaleString('en-US');
const ms = (n) => `${Math.round(n)} ms`;

const server = await startServer({ demo: true });
const browser = await launchBrowser();
try {
  // Which files the build has: the service worker's precache list (the content-hashed shell).
  const sw = await getText(server.url + 'sw.js');
  const precache = JSON.parse(sw.match(/const PRECACHE = (\[[^\]]*\]);/)[1]);
  const find = (re) => {
    const name = precache.find((p) => re.test(p));
    if (!name) throw new Error(`no ${re} in the precache list`);
    return name;
  };
  const files = [
    ['wasm', find(/^mizumori_web\.[0-9a-f]+\.wasm$/), true],
    ['Emscripten loader JS', find(/^mizumori_web\.[0-9a-f]+\.js$/), true],
    ['shell JS (mizu.js)', find(/^mizu\.[0-9a-f]+\.js$/), true],
    ['index.html', 'index.html', true],
    ['style.css', find(/^style\.[0-9a-f]+\.css$/), true],
    ['first-frame font (fonts/ui)', find(/^fonts\/ui\.[0-9a-f]+\.ttf$/), true],
    ['data font (fonts/jis, after the first frame)', find(/^fonts\/jis\.[0-9a-f]+\.ttf$/), false],
    ['sw.js', 'sw.js', false],
    ['manifest.webmanifest', 'manifest.webmanifest', false],
  ];
  const sizes = [];
  for (const [what, path, firstFrame] of files) {
    const row = { what, path, firstFrame };
    for (const [key, enc] of [['raw', ''], ['gzip', 'gzip'], ['br', 'br']]) {
      const r = await get(server.url + path, enc);
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      if (enc && r.encoding !== enc) throw new Error(`${path}: asked for ${enc}, got '${r.encoding}'`);
      row[key] = r.bytes;
    }
    sizes.push(row);
  }

  // Time to first frame: an init script notes performance.now() (ms since navigation start) the first time
  // window.mizu.ready() is true, polling every millisecond.
  const probe = () => {
    const tick = () => {
      let ready = false;
      try { ready = !!(window.mizu && window.mizu.ready()); } catch (e) { ready = false; }
      if (ready) window.__mizuFirstFrame = performance.now();
      else setTimeout(tick, 1);
    };
    tick();
  };
  async function loadApp(context) {
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => window.__mizuFirstFrame !== undefined, null, { timeout: 60000, polling: 20 });
    const [t, wasm] = await page.evaluate(() => [window.__mizuFirstFrame,
      performance.getEntriesByType('resource').find((e) => /\.wasm$/.test(e.name)).responseEnd]);
    return { page, t, wasm };
  }
  async function freshContext() {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.addInitScript(probe);
    return context;
  }

  const cold = [];
  const coldWasm = [];
  const blank = [];
  const download = [];
  const firstFramePaths = sizes.filter((s) => s.firstFrame && s.path !== 'index.html').map((s) => s.path);
  for (let i = 0; i < runs; ++i) {
    // Cold: a fresh context (empty HTTP cache, no service worker).
    let context = await freshContext();
    const r = await loadApp(context);
    cold.push(r.t);
    coldWasm.push(r.wasm);
    await context.close();
    // Baseline 1: a blank document from the same server (/healthz), load event, fresh context.
    context = await freshContext();
    let page = await context.newPage();
    await page.goto(server.url + 'healthz');
    blank.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd));
    // Baseline 2: only downloading the first frame's files (no compile, no GL), in parallel, from that page.
    download.push(await page.evaluate(async (paths) => {
      const t0 = performance.now();
      await Promise.all(paths.map((p) => fetch('/' + p).then((r) => r.arrayBuffer())));
      return performance.now() - t0;
    }, firstFramePaths));
    await context.close();
  }

  // Warm: one context; a first load installs the service worker and fills the caches, then new pages.
  const warm = [];
  const warmWasm = [];
  {
    const context = await freshContext();
    const { page } = await loadApp(context);
    await page.waitForFunction(() => window.mizu.dataFontLoaded() && navigator.serviceWorker.controller !== null,
      null, { timeout: 60000, polling: 50 });
    await page.close();
    for (let i = 0; i < runs; ++i) {
      const r = await loadApp(context);
      warm.push(r.t);
      warmWasm.push(r.wasm);
      await r.page.close();
    }
    await context.close();
  }

  // The semantics layer's cost per frame on the busiest screen (ご利用実績, daily: the chart's bars, the table,
  // the controls), while scrolling: every frame moves every item, so every twin is updated. Anchor: drawing
  // the same frames (ImGui layout and render), measured in the same runner.
  let semantics;
  {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => window.mizu && window.mizu.ready(), null, { timeout: 60000 });
    await typeInto(page, 'login.email', 'demo@mizumori.example');
    await typeInto(page, 'login.password', 'mizumori-demo-2026');
    await tap(page, 'login.submit');
    // The bill and the notices arrive after the screen and move what is under them: tap once they are in.
    await waitForItem(page, (i) => i.id === 'top.bill.total', 'the latest bill', 20000);
    await waitForItem(page, (i) => i.id === 'top.notice.0', 'the notices', 20000);
    await tap(page, 'top.quick.menu.usage');
    await waitForItem(page, (i) => i.id === 'usage.row.0', 'the usage table', 20000);
    await tap(page, 'usage.view.daily');
    await waitForItem(page, (i) => i.id.startsWith('usage.daily.bar.'), 'the daily chart', 20000);
    await page.waitForTimeout(500);
    const before = await page.evaluate(() => window.mizu.semanticsStats());
    const twins = await page.evaluate(() => document.querySelectorAll('#mizu-semantics [data-mizu-id]').length);
    await page.mouse.move(500, 450);
    for (let i = 0; i < 60; ++i) {
      await page.mouse.wheel(0, i < 30 ? 40 : -40);
      await page.waitForTimeout(20);
    }
    await page.waitForTimeout(300);
    const after = await page.evaluate(() => window.mizu.semanticsStats());
    const frames = after.frames - before.frames;
    semantics = { twins, frames, perFrame: (after.ms_total - before.ms_total) / frames, max: after.ms_max,
      drawPerFrame: (after.draw_ms_total - before.draw_ms_total) / frames };
    // Idle: no frame, so no semantics work, while nothing changes.
    const idle0 = await page.evaluate(() => window.mizu.frames());
    await page.waitForTimeout(1000);
    semantics.idleFrames = (await page.evaluate(() => window.mizu.frames())) - idle0;
    await context.close();
  }

  const chromium = execFileSync('/usr/bin/chromium', ['--version'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const out = [];
  out.push(`scripts/bench/web — ${new Date().toISOString().slice(0, 16)}Z, ${chromium}, headless, SwiftShader WebGL2, ` +
    `load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  out.push('');
  out.push('Transfer sizes as served (bytes of the response body; Accept-Encoding: none / gzip / br):');
  out.push('');
  out.push('| file | identity | gzip | brotli |');
  out.push('|---|---|---|---|');
  for (const s of sizes) out.push(`| ${s.what} | ${fmt(s.raw)} | ${fmt(s.gzip)} | ${fmt(s.br)} |`);
  const ff = sizes.filter((s) => s.firstFrame);
  const total = (k) => ff.reduce((a, s) => a + s[k], 0);
  out.push(`| **first frame in all** (index, css, both JS, wasm, ui font) | ${fmt(total('raw'))} | ` +
    `${fmt(total('gzip'))} | **${fmt(total('br'))}** |`);
  out.push('');
  out.push(`Time to first frame (navigation start → window.mizu.ready()), median of ${runs} (min–max):`);
  out.push('');
  const line = (what, xs) => `| ${what} | **${ms(median(xs))}** | ${ms(Math.min(...xs))}–${ms(Math.max(...xs))} |`;
  out.push('| load | median | range |');
  out.push('|---|---|---|');
  out.push(line('cold (fresh context: empty HTTP cache, no service worker)', cold));
  out.push(line('… of which: the wasm in hand (its responseEnd), cold', coldWasm));
  out.push(line('warm (same context, service worker installed)', warm));
  out.push(line('… of which: the wasm in hand (its responseEnd), warm', warmWasm));
  out.push(line('baseline: a blank document (/healthz) from the same server, load event, cold', blank));
  out.push(line('baseline: only downloading the first frame\'s files in parallel, cold', download));
  out.push('');
  out.push(`Ratios: cold first frame / blank document = ${(median(cold) / median(blank)).toFixed(1)}; ` +
    `cold / download only = ${(median(cold) / median(download)).toFixed(1)}; ` +
    `warm / cold = ${(median(warm) / median(cold)).toFixed(2)}.`);
  out.push('');
  out.push(`Semantics layer (registry JSON + DOM twin update) on ご利用実績 (daily view, ${semantics.twins} twins), ` +
    `scrolling for ${semantics.frames} frames:`);
  out.push('');
  out.push('| per frame | mean | max |');
  out.push('|---|---|---|');
  out.push(`| semantics layer | **${semantics.perFrame.toFixed(2)} ms** | ${semantics.max.toFixed(2)} ms |`);
  out.push(`| anchor: drawing the frame (ImGui layout + render) | ${semantics.drawPerFrame.toFixed(2)} ms | — |`);
  out.push('');
  out.push(`Ratio semantics / drawing = ${(semantics.perFrame / semantics.drawPerFrame).toFixed(2)}; ` +
    `frames drawn in 1 s idle: ${semantics.idleFrames}.`);
  console.log(out.join('\n'));
} finally {
  await browser.close();
  await server.stop();
}
