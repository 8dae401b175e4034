// Shared by the e2e tests: start a real mizumori server on a free loopback port with a fresh data folder,
// launch Debian's Chromium through playwright-core, and find UI items through the app's semantic registry.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const outDir = process.env.MIZU_E2E_OUT || join(tmpdir(), 'mizu-e2e');
mkdirSync(outDir, { recursive: true });

// Options: demo — fill the data folder with `mizumori demo-data` first (demo logins, customers).
export async function startServer({ demo = false } = {}) {
  const binary = process.env.MIZU_BINARY;
  const web = process.env.MIZU_WEB_DIR;
  if (!binary || !web) throw new Error('MIZU_BINARY and MIZU_WEB_DIR must be set (run through ctest)');
  const data = mkdtempSync(join(tmpdir(), 'mizu-e2e-data-'));
  if (demo) {
    const r = spawnSync(binary, ['demo-data', '--data', data], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error('demo-data failed: ' + r.stderr);
  }
  const proc = spawn(binary, ['serve', '--listen', '127.0.0.1:0', '--data', data, '--web', web],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MIZU_TEST_MODE: '1' } });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + out + log)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving on (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}:\n${out}${log}`)));
  });
  return {
    url,
    log: () => log,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
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
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  if (beforeGoto) await beforeGoto(page);
  await page.goto(url);
  await page.waitForFunction(() => window.mizu && window.mizu.ready(), null, { timeout: 60000 });
  return { page, context, errors };
}

export async function items(page) {
  return page.evaluate(() => window.mizu.items());
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
  while (!(await page.evaluate(fn, arg))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(50);
  }
}

// A real pointer click in the middle of the item's rect.
export async function click(page, item) {
  const { x, y, w, h } = item.rect;
  await page.mouse.click(x + w / 2, y + h / 2);
}
