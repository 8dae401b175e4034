// Shared by the e2e tests: start a real mizumori server on a free loopback port with a fresh data folder,
// launch Debian's Chromium through playwright-core, and find UI items through the app's semantic registry.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { servingUrl } from '../common/serve.mjs';

export const outDir = process.env.MIZU_E2E_OUT || join(tmpdir(), 'mizu-e2e');
mkdirSync(outDir, { recursive: true });

const jstDate = (ms) => new Date(ms + 9 * 3600 * 1000).toISOString().slice(0, 10);

// Options: demo — fill the data folder with `mizumori demo-data` first (demo logins, customers);
// pinClock — (with demo) stop the server's test clock at the instant the demo data was made, so the demo's
// "yesterday" (its gap of missing hours) stays the server's yesterday even when the test crosses JST midnight;
// prepare(binary, data) — runs before the server starts (e.g. `mizumori import customers`);
// config — an object written as the server's --config file (e.g. { watch: { report_delay_minutes: 45 } }).
// The answer's `data` is the data folder (mails of the file transport land in data/mail).
export async function startServer({ demo = false, prepare = null, pinClock = false, config = null } = {}) {
  const binary = process.env.MIZU_BINARY;
  const web = process.env.MIZU_WEB_DIR;
  if (!binary || !web) throw new Error('MIZU_BINARY and MIZU_WEB_DIR must be set (run through ctest)');
  let data = mkdtempSync(join(tmpdir(), 'mizu-e2e-data-'));
  let demoAt = null;
  for (let attempt = 0; demo; ++attempt) {
    const before = Date.now();
    const r = spawnSync(binary, ['demo-data', '--data', data], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error('demo-data failed: ' + r.stderr);
    demoAt = Date.now();
    // Made across JST midnight, the demo's "today" is either day: make it again (seconds later, on one day).
    if (jstDate(before) === jstDate(demoAt) || attempt > 0) break;
    rmSync(data, { recursive: true, force: true });
    data = mkdtempSync(join(tmpdir(), 'mizu-e2e-data-'));
  }
  if (prepare) prepare(binary, data);
  const configArgs = [];
  if (config) {
    const file = join(data, 'e2e-config.json');
    writeFileSync(file, JSON.stringify(config));
    configArgs.push('--config', file);
  }
  const proc = spawn(binary, ['serve', ...configArgs, '--listen', '127.0.0.1:0', '--data', data, '--web', web],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MIZU_TEST_MODE: '1' } });
  const served = await servingUrl(proc);
  const url = served.url + '/';
  if (pinClock && demoAt !== null) {
    const res = await fetch(url + 'api/v1/test/clock', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ now: new Date(demoAt).toISOString().replace(/\.\d+Z$/, 'Z') }),
    });
    if (res.status !== 200) throw new Error(`pinning the test clock failed: ${res.status}`);
  }
  return {
    url,
    data,
    log: served.log,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

// The set-up every e2e file shares: before its tests a server (startServer's options) and a browser, after
// them both closed. Returns { server, browser }, filled in by the before hook. setUp(env), when given, runs
// last in the before hook (a page the tests share, say), tearDown(env) first in the after hook.
export function suite(serverOptions = {}, { setUp = null, tearDown = null } = {}) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer(serverOptions);
    env.browser = await launchBrowser();
    if (setUp) await setUp(env);
  });
  after(async () => {
    if (tearDown) await tearDown(env);
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.MIZU_CHROMIUM || '/usr/bin/chromium',  // CMake finds it (tests/e2e/CMakeLists.txt)
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      '--disable-quic'],
  });
}

// Opens the app in a new page and collects console errors; resolves once the first frame is drawn.
// beforeGoto(page), when given, runs before the navigation (to listen to responses, say).
export async function openApp(browser, url, contextOptions = {}, beforeGoto = null) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const errors = [];
  // Each console error with the URL it names (a failed request's own URL), so tests can expect exactly one.
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text() + (msg.location()?.url ? ` @ ${msg.location().url}` : ''));
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  if (beforeGoto) await beforeGoto(page);
  await page.goto(url);
  await page.waitForFunction(() => window.mizu && window.mizu.ready(), null, { timeout: 60000 });
  return { page, context, errors };
}

// Logout (and a kiosk's end of a visit) starts the page afresh: while the new document's app is not up yet, or
// the old one is being torn down, it has no items.
const reloading = /Execution context was destroyed|Cannot find context|navigation|Target closed/;

export async function items(page) {
  try {
    return await page.evaluate(() => (window.mizu && window.mizu.ready() ? window.mizu.items() : []));
  } catch (err) {
    if (reloading.test(String(err))) return [];
    throw err;
  }
}

// Waits until an item matching pred is in the registry and returns it.
export async function waitForItem(page, pred, what, timeout = 10000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = (await items(page)).find(pred);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no item ${what}; have: ${JSON.stringify(await items(page))}`);
    await page.waitForTimeout(50);
  }
}

// Polls fn(arg) in the page until it returns true.
export async function waitUntil(page, fn, what, arg, timeout = 10000) {
  const deadline = Date.now() + timeout;
  const check = async () => {
    try {
      return await page.evaluate(fn, arg);
    } catch (err) {
      if (reloading.test(String(err))) return false;
      throw err;
    }
  };
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(50);
  }
}

// A real pointer click in the middle of the item's rect; returns once the app has applied it and drawn the
// frame after (so the next registry read sees what the click changed).
export async function click(page, item) {
  const { x, y, w, h } = item.rect;
  const before = await page.evaluate(() => [window.mizu.frames(), performance.timeOrigin]);
  await page.mouse.click(x + w / 2, y + h / 2);
  // Move, press and release take a frame each (the app applies one input transition per frame); then one more.
  // A click that started the page afresh (logout) was applied too.
  await waitUntil(page, ([n, doc]) => performance.timeOrigin !== doc ||
    ((!window.mizu.inputPending || window.mizu.inputPending() === 0) && window.mizu.frames() >= n + 4),
  'the click to be applied', before);
}

// The newest mail of the file transport sent to `to` (decoded text body), waiting for it to arrive.
export async function waitForMail(data, to, { after = 0, timeout = 20000 } = {}) {
  const dir = join(data, 'mail');
  const deadline = Date.now() + timeout;
  for (;;) {
    let newest = null;
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      if (!name.endsWith('.eml')) continue;
      const path = join(dir, name);
      const mtime = statSync(path).mtimeMs;
      if (mtime < after) continue;
      const text = readFileSync(path, 'utf8');
      const header = text.split(/\r?\n\r?\n/)[0];
      if (!new RegExp('^To:.*' + to.replace(/[.+]/g, '\\$&'), 'mi').test(header)) continue;
      if (!newest || mtime >= newest.mtime) newest = { mtime, text };
    }
    if (newest) return decodeMail(newest.text);
    if (Date.now() > deadline) throw new Error(`no mail to ${to} in ${dir}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The text of a one-part UTF-8 mail (base64 or 8bit body).
export function decodeMail(raw) {
  const [header, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/Content-Transfer-Encoding:\s*base64/i.test(header)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

// The header's items: it stays at the top while the screen scrolls under it (web/ui/app.cpp DrawHeader).
export const HEADER_IDS = new Set(['app.name', 'app.progress', 'lang.switch', 'menu.open', 'app.subtitle',
  'text_size.switch']);

// Where the scrolling screen begins: under the header's lowest item.
async function contentTop(page) {
  return (await items(page)).filter((i) => HEADER_IDS.has(i.id))
    .reduce((top, i) => Math.max(top, i.rect.y + i.rect.h), 0);
}

// Scrolls the app (mouse wheel over the canvas) until the item is inside the viewport below the header, and
// returns it.
export async function reveal(page, pred, what, timeout = 10000) {
  const viewport = page.viewportSize();
  for (let i = 0; i < 60; ++i) {
    // Judge the layout the last input made: a line that the last keystroke adds above the item moves it after
    // the frame the items were read from (a button judged in view at 579 px was at 606 px, half under the edge).
    await settled(page);
    const item = await waitForItem(page, pred, what, timeout);
    const { y, h } = item.rect;
    const top = HEADER_IDS.has(item.id) ? 0 : await contentTop(page);
    if (y >= top && y + h <= viewport.height) return item;
    await page.mouse.move(viewport.width / 2, viewport.height / 2);
    const delta = y < top ? Math.max(y - top - 40, -300) : Math.min(y + h - viewport.height + 40, 300);
    await page.mouse.wheel(0, delta);
    await settled(page);
  }
  throw new Error(`could not scroll ${what} into view`);
}

// Waits until the app has drawn everything it was asked to: no input event waiting for a frame and no frame
// drawn over two of the browser's animation frames (an idle app draws none). Layout read after this is what a
// click will hit — a line that appears under a field after the last keystroke has already moved the rest.
export async function settled(page, timeout = 10000) {
  await page.waitForFunction(() => new Promise((resolve) => {
    if (!window.mizu || !window.mizu.ready()) return resolve(false);
    const before = window.mizu.frames();
    requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(() =>
      resolve(window.mizu.inputPending() === 0 && window.mizu.frames() === before))));
  }), null, { timeout, polling: 'raf' });
}

const byId = (id) => (i) => i.id === id;

// Reveals and clicks the item with this id (waiting until it is enabled).
export async function tap(page, id) {
  await reveal(page, (i) => i.id === id && i.enabled, id);
  await settled(page);
  const item = await waitForItem(page, byId(id), id);
  await click(page, item);
  return item;
}

// Focuses a text field and types text with real key events (select-all + delete first when clear is set).
export async function typeInto(page, id, text, { clear = false, ime = false } = {}) {
  await tap(page, id);
  await waitUntil(page, () => window.mizu.editing() !== null,
    'the text bridge to take focus');
  if (clear) {
    const item = await waitForItem(page, byId(id), id);
    await page.keyboard.press('End');  // the click put the caret where it landed
    for (let i = 0; i < [...(item.value || '')].length + 2; ++i) await page.keyboard.press('Backspace');
  }
  if (ime) await page.keyboard.insertText(text);  // the IME commit path (compositionend/insertText)
  else await page.keyboard.type(text);
}

// Picks option index n of a Select (opens it, then taps "<id>.option.<n>").
export async function choose(page, id, n) {
  await tap(page, id);
  await tap(page, `${id}.option.${n}`);
}
