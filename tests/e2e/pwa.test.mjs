// The installable app and its caching in real Chromium against the real server: the first visit gets compressed,
// content-hashed files (immutable) and installs the service worker; a reload and a second visit download nothing
// (the server only answers 304s, every file comes from the service worker or the HTTP cache); the web app
// manifest is linked, parses without errors, and its icons are real PNGs of the sizes it says; the service worker
// never caches the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, waitUntil } from './harness.mjs';

const env = suite();

// The server's request log (one JSON line a request; static files carry their path) from a given offset: the
// static files it answered.
function staticLog(from) {
  return env.server.log().slice(from).split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .filter((e) => e.route === '(static)' && (e.method === 'GET' || e.method === 'HEAD'))
    .map((e) => ({ path: e.path, status: e.status }));
}

// Console errors: none at all. docs/web.md: start-up asks GET /api/v1/session, never a 401, so even a
// logged-out visit has no console error.
const unexpected = (errors) => errors;

async function settle(page) {
  // Everything the page loads after its first frame (the data font) and the service worker taking control.
  await waitUntil(page, () => window.mizu.dataFontLoaded(), 'the data font', undefined, 60000);
  await waitUntil(page, () => navigator.serviceWorker.controller !== null, 'the service worker to take control',
    undefined, 30000);
  await page.waitForTimeout(300);  // late requests (manifest, icon) reach the server log
}

test('first visit: compressed, hashed, immutable files and an activated service worker', async () => {
  const responses = [];
  const { page, context, errors } = await openApp(env.browser, env.server.url, { viewport: { width: 390, height: 844 } },
    (p) => p.on('response', (r) => responses.push(r)));
  await settle(page);

  const byName = (re) => responses.find((r) => re.test(new URL(r.url()).pathname));
  for (const [re, type] of [[/^\/mizumori_web\.[0-9a-f]{10}\.wasm$/, 'application/wasm'],
    [/^\/mizumori_web\.[0-9a-f]{10}\.js$/, 'text/javascript'], [/^\/mizu\.[0-9a-f]{10}\.js$/, 'text/javascript'],
    [/^\/style\.[0-9a-f]{10}\.css$/, 'text/css'], [/^\/fonts\/ui\.[0-9a-f]{10}\.ttf$/, 'font/ttf'],
    [/^\/fonts\/jis\.[0-9a-f]{10}\.ttf$/, 'font/ttf']]) {
    const r = byName(re);
    assert.ok(r, `no response for ${re} in ${responses.map((x) => x.url()).join(' ')}`);
    const h = await r.allHeaders();
    assert.equal(r.status(), 200, r.url());
    assert.ok(h['content-type'].startsWith(type), `${r.url()}: ${h['content-type']}`);
    assert.equal(h['cache-control'], 'public, max-age=31536000, immutable', r.url());
    assert.ok(['br', 'gzip'].includes(h['content-encoding']), `${r.url()} not compressed: ${h['content-encoding']}`);
    assert.match(h.etag, /^"[0-9a-f]+-(br|gz)"$/);
  }
  const doc = byName(/^\/$/);
  assert.equal((await doc.allHeaders())['cache-control'], 'no-cache');

  const sw = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return { state: reg.active.state, script: reg.active.scriptURL, scope: reg.scope };
  });
  assert.equal(sw.state, 'activated');
  assert.equal(sw.script, env.server.url + 'sw.js');
  assert.equal(sw.scope, env.server.url);
  const swHeaders = await page.request.get(env.server.url + 'sw.js');
  assert.equal(swHeaders.headers()['cache-control'], 'no-cache');

  // The shell is precached; nothing under /api/ ever is.
  const cached = await page.evaluate(async () => {
    const urls = [];
    for (const key of await caches.keys()) {
      for (const req of await (await caches.open(key)).keys()) urls.push(new URL(req.url).pathname);
    }
    return urls;
  });
  for (const re of [/^\/index\.html$/, /^\/mizumori_web\.[0-9a-f]+\.wasm$/, /^\/fonts\/jis\.[0-9a-f]+\.ttf$/]) {
    assert.ok(cached.some((u) => re.test(u)), `${re} not precached: ${cached}`);
  }
  assert.ok(!cached.some((u) => u.startsWith('/api/')), `API cached: ${cached}`);
  assert.deepEqual(unexpected(errors), []);
  await context.close();
});

test('a reload and a second visit download nothing', async () => {
  const { page, context, errors } = await openApp(env.browser, env.server.url, { viewport: { width: 390, height: 844 } });
  await settle(page);

  for (const visit of ['reload', 'second visit']) {
    const mark = env.server.log().length;
    const responses = [];
    let target = page;
    if (visit === 'reload') {
      page.on('response', (r) => responses.push(r));
      await page.reload();
    } else {
      target = await context.newPage();
      target.on('response', (r) => responses.push(r));
      await target.goto(env.server.url);
    }
    await target.waitForFunction(() => window.mizu && window.mizu.ready(), null, { timeout: 60000 });
    await waitUntil(target, () => window.mizu.dataFontLoaded(), 'the data font', undefined, 60000);
    await target.waitForTimeout(500);
    assert.ok(await target.evaluate(() => navigator.serviceWorker.controller !== null), `${visit}: not controlled`);

    // What reached the server: nothing but revalidations of the unhashed entry points, all answered 304.
    const hits = staticLog(mark);
    if (process.env.MIZU_E2E_VERBOSE) console.log(visit, JSON.stringify(hits));
    const downloads = hits.filter((h) => h.status !== 304);
    assert.deepEqual(downloads, [], `${visit}: downloaded ${JSON.stringify(downloads)}`);
    for (const h of hits) {
      assert.match(h.path, /^\/($|index\.html$|sw\.js$|manifest\.webmanifest$)/, `${visit}: asked for ${h.path}`);
    }
    // What the page saw: every file of the app from the service worker (or a 304).
    const statics = responses.filter((r) => !new URL(r.url()).pathname.startsWith('/api/'));
    assert.ok(statics.length >= 6, `${visit}: only ${statics.map((r) => r.url())}`);
    for (const r of statics) {
      assert.ok(r.fromServiceWorker() || r.status() === 304, `${visit}: ${r.url()} ${r.status()} from the network`);
    }
    if (target !== page) await target.close();
  }
  assert.deepEqual(unexpected(errors), []);
  await context.close();
});

test('the web app manifest is linked, parses, and its icons are reachable PNGs', async () => {
  const { page, context } = await openApp(env.browser, env.server.url);
  const href = await page.$eval('link[rel=manifest]', (l) => l.href);
  assert.equal(href, env.server.url + 'manifest.webmanifest');
  const res = await page.request.get(href);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'application/manifest+json');
  assert.equal(res.headers()['cache-control'], 'no-cache');

  // Chromium's own parse of it.
  const cdp = await context.newCDPSession(page);
  const parsed = await cdp.send('Page.getAppManifest');
  assert.equal(parsed.url, href);
  assert.deepEqual(parsed.errors, []);
  const m = JSON.parse(parsed.data);
  assert.equal(m.name, '水守');
  assert.ok(m.short_name);
  assert.equal(m.display, 'standalone');
  assert.equal(new URL(m.start_url, href).href, env.server.url);
  const themeMeta = await page.$eval('meta[name=theme-color]', (el) => el.content);
  assert.equal(m.theme_color.toLowerCase(), themeMeta.toLowerCase());
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const hex = m.background_color.replace('#', '');
  const rgb = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  assert.equal(background, `rgb(${rgb.join(', ')})`);

  const sizes = new Set();
  for (const icon of m.icons) {
    const r = await page.request.get(new URL(icon.src, href).href);
    assert.equal(r.status(), 200, icon.src);
    assert.equal(r.headers()['content-type'], 'image/png');
    assert.equal(r.headers()['cache-control'], 'public, max-age=31536000, immutable');
    const png = await r.body();
    assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${icon.src} is not a PNG`);
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    assert.equal(`${w}x${h}`, icon.sizes, icon.src);
    sizes.add(`${icon.sizes} ${icon.purpose}`);
  }
  for (const want of ['192x192 any', '512x512 any', '512x512 maskable']) assert.ok(sizes.has(want), want);

  // Installable as far as Chromium can tell here (a test context is always incognito).
  await settle(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  const ids = installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito');
  assert.deepEqual(ids, []);
  await context.close();
});
