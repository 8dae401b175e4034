// The kiosk soak (scripts/kiosk-soak, docs/kiosk.md): a counter terminal runs all day. N visits in one
// Chromium page at 1080×1920 — log in, トップ, ご利用実績, 「最初の画面に戻る» — measuring after every `every`
// visits the memory of the browser's renderer and GPU processes (/proc/<pid>/status: VmRSS, and RssAnon +
// RssShmem — the process's own memory, without the pages of Chromium's binary and libraries it shares with
// every process and pages in as more of its code runs), the page's JS heap and its wasm memory. Passes when the
// renderer's own memory after the last visit is within BOUND_MIB of what it was after the warm-up visits;
// prints a Markdown table for docs/performance.md.
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { startServer, waitForItem, typeInto, tap, settled } from './harness.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const VISITS = arg('--visits', 1000);
const EVERY = arg('--every', 50);
const WARMUP = Math.min(20, VISITS);
const BOUND_MIB = arg('--bound-mib', 64);

let token = '';
const server = await startServer({
  demo: true,
  prepare(binary, data) {
    const r = spawnSync(binary, ['kiosk', 'enrol', '--name', 'soak', '--data', data], { encoding: 'utf8' });
    token = /#\/\?kiosk=([A-Za-z0-9_-]+)/.exec(r.stdout)[1];
  },
});
const browserServer = await chromium.launchServer({
  executablePath: process.env.MIZU_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic'],
});
const browser = await chromium.connect(browserServer.wsEndpoint());

// The browser's child processes of one --type (renderer, gpu-process): [VmRSS, RssAnon + RssShmem] in MiB.
function rssOf(type) {
  const root = browserServer.process().pid;
  const parent = new Map();
  const cmd = new Map();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(Number(pid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmd.set(Number(pid), readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch { /* gone meanwhile */ }
  }
  const descends = (pid) => { for (let p = pid; p > 1; p = parent.get(p) ?? 0) if (p === root) return true; return false; };
  let rss = 0, own = 0;
  for (const [pid, c] of cmd) {
    if (!c.includes(`--type=${type}`) || !descends(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kib = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)[1]);
      rss += kib('VmRSS');
      own += kib('RssAnon') + kib('RssShmem');
    } catch { /* gone meanwhile */ }
  }
  return [rss / 1024, own / 1024];
}

const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await page.goto(`${server.url}#/?kiosk=${token}`);
const rows = [];
const started = Date.now();
async function measure(visit) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(() => Module.HEAPU8.length);
  const [rendererRss, renderer] = rssOf('renderer');
  const [gpuRss, gpu] = rssOf('gpu-process');
  rows.push({ visit, rendererRss, renderer, gpuRss, gpu, js: usedSize / 2 ** 20, wasm: wasm / 2 ** 20 });
  const r = rows[rows.length - 1];
  console.error(`visit ${visit}: renderer ${r.renderer.toFixed(1)} MiB own (${r.rendererRss.toFixed(1)} RSS), ` +
    `gpu ${r.gpu.toFixed(1)} MiB own, ` +
    `js ${r.js.toFixed(1)} MiB, wasm ${r.wasm.toFixed(1)} MiB, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

for (let visit = 1; visit <= VISITS; ++visit) {
  await waitForItem(page, (i) => i.id === 'login.email' && i.value === '', 'the start screen', 30000);
  await typeInto(page, 'login.email', 'demo@mizumori.example');
  await typeInto(page, 'login.password', 'mizumori-demo-2026');
  await tap(page, 'login.submit');
  await waitForItem(page, (i) => i.id === 'top.title', 'トップ', 30000);
  await tap(page, 'menu.open');
  await tap(page, 'menu.usage');
  await waitForItem(page, (i) => i.id === 'usage.title', 'ご利用実績', 30000);
  await settled(page);
  await tap(page, 'kiosk.leave');
  if (visit === WARMUP || visit % EVERY === 0 || visit === VISITS) {
    await waitForItem(page, (i) => i.id === 'login.email' && i.value === '', 'the start screen', 30000);
    await settled(page);
    await measure(visit);
  }
}

const base = rows.find((r) => r.visit === WARMUP);
const last = rows[rows.length - 1];
const per100 = last.visit > base.visit ? ((last.renderer - base.renderer) / (last.visit - base.visit)) * 100 : 0;
console.log('| visits | renderer own (MiB) | renderer RSS (MiB) | GPU process own (MiB) | GPU RSS (MiB) | JS heap (MiB) | wasm memory (MiB) |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
const f = (x) => x.toFixed(1);
for (const r of rows)
  console.log(`| ${r.visit} | ${f(r.renderer)} | ${f(r.rendererRss)} | ${f(r.gpu)} | ${f(r.gpuRss)} | ${f(r.js)} | ${f(r.wasm)} |`);
console.log(`\nRenderer's own memory: growth after the ${WARMUP} warm-up visits: ${(last.renderer - base.renderer).toFixed(1)} MiB over ` +
  `${last.visit - base.visit} visits (${per100.toFixed(1)} MiB per 100 visits); bound ${BOUND_MIB} MiB. ` +
  `${VISITS} visits in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
await browser.close();
await browserServer.close();
await server.stop();
process.exit(last.renderer - base.renderer <= BOUND_MIB ? 0 : 1);
