// Every main screen, logged out and in, in Japanese and English (docs/accessibility.md), in real Chromium
// against the real server with the demo data:
// - axe-core finds no WCAG 2.0/2.1 A/AA violation;
// - Chromium's accessibility tree (CDP Accessibility.getFullAXTree) lists every heading, text, field, button,
//   link, check box, table header and cell the app drew on ログイン, トップ, ご利用実績 and 見守り登録 (its
//   form and its confirmation step) with the twin's role and the drawn words as its name, in reading order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, waitForItem, waitUntil, tap, typeInto } from './harness.mjs';
import { assertAxeClean, assertTreeMatchesRegistry } from './a11y_helpers.mjs';

const EMAIL = 'demo@mizumori.example';
const PASSWORD = 'mizumori-demo-2026';
const LOGGED_OUT = ['/login', '/signup', '/password-reset', '/simulation', '/applications'];
const LOGGED_IN = ['/top', '/menu', '/usage', '/payments', '/pay', '/notices', '/notification-settings', '/contracts',
  '/contracts/add', '/procedures', '/watch', '/account', '/withdraw', '/simulation', '/applications'];

const env = suite({ demo: true, pinClock: true });
// axe is injected as a script: the page's Content-Security-Policy (script-src 'self') would refuse it.
const open = () => openApp(env.browser, env.server.url, { viewport: { width: 1024, height: 900 }, bypassCSP: true });
const byId = (id) => (i) => i.id === id;

// Goes to a route the way a bookmark or 戻る does and waits until its screen is drawn and its data is in
// (no request in flight, no input waiting for a frame).
async function visit(page, route) {
  const before = await page.evaluate(() => window.mizu.frames());
  const moved = await page.evaluate((r) => { if (location.hash === '#' + r) return false; location.hash = '#' + r; return true; }, route);
  if (moved) await waitUntil(page, (b) => window.mizu.frames() > b + 2, `frames of ${route}`, before);
  await waitUntil(page, () => !window.mizu.items().some((i) => i.id === 'app.progress') && window.mizu.inputPending() === 0 &&
    window.mizu.items().some((i) => i.role === 'heading'), `${route} settled`, undefined, 20000);
}

async function signIn(page) {
  await typeInto(page, 'login.email', EMAIL);
  await typeInto(page, 'login.password', PASSWORD);
  await tap(page, 'login.submit');
  await waitForItem(page, byId('top.bill.total'), 'the latest bill', 20000);
}

async function setLang(page, lang) {
  if ((await page.evaluate(() => document.documentElement.lang)) === lang) return;
  await tap(page, 'lang.switch');
  await waitUntil(page, (l) => document.documentElement.lang === l, `<html lang="${lang}">`, lang);
}

test('axe finds no violation on any main screen, logged out and in, in Japanese and English', async () => {
  const { page, context, errors } = await open();
  await waitForItem(page, byId('login.title'), 'login screen');
  let checked = 0;
  for (const lang of ['ja', 'en']) {
    await setLang(page, lang);
    for (const route of LOGGED_OUT) {
      await visit(page, route);
      await assertAxeClean(page, `${route} logged out (${lang})`);
      ++checked;
    }
  }
  await visit(page, '/login');
  await setLang(page, 'ja');
  await signIn(page);
  for (const lang of ['ja', 'en']) {
    await setLang(page, lang);
    for (const route of LOGGED_IN) {
      await visit(page, route);
      await assertAxeClean(page, `${route} (${lang})`);
      ++checked;
    }
  }
  assert.equal(checked, 2 * (LOGGED_OUT.length + LOGGED_IN.length));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the accessibility tree lists every drawn item of ログイン, トップ, ご利用実績 and 見守り登録 in reading order', async () => {
  const { page, context, errors } = await open();
  await waitForItem(page, byId('login.title'), 'login screen');
  await waitUntil(page, () => window.mizu.inputPending() === 0, 'a settled screen');
  const counts = { login: await assertTreeMatchesRegistry(page, 'ログイン') };
  await signIn(page);
  await waitForItem(page, byId('top.notice.0'), 'the notices', 20000);
  counts.top = await assertTreeMatchesRegistry(page, 'トップ');
  await visit(page, '/usage');
  await waitForItem(page, byId('usage.row.0'), 'the usage table', 20000);
  counts.usage = await assertTreeMatchesRegistry(page, 'ご利用実績');
  await visit(page, '/watch');
  await waitForItem(page, byId('watch.recipient.0.email'), 'the watch form', 20000);
  counts.watch = await assertTreeMatchesRegistry(page, '見守り登録');
  await tap(page, 'watch.confirm');
  await waitForItem(page, byId('watch.preview.no_data'), 'the confirmation step with the mail preview', 20000);
  counts.confirm = await assertTreeMatchesRegistry(page, '見守り登録の確認');
  // Enough of each screen was compared to mean something: fields, buttons, table cells, the mails.
  assert.ok(counts.login >= 8 && counts.top >= 15 && counts.usage >= 40 && counts.watch >= 10 && counts.confirm >= 8,
    JSON.stringify(counts));
  assert.deepEqual(errors, []);
  await context.close();
});

for (const size of ['standard', 'xlarge'])
test(`at 320 CSS px (200 % zoom of 640), 文字サイズ ${size}: no logged-in screen draws past the edge, overlaps or scrolls sideways`, async () => {
  const { page, context, errors } = await openApp(env.browser, env.server.url,
    { viewport: { width: 320, height: 640 }, deviceScaleFactor: 2, bypassCSP: true },
    (p) => p.addInitScript((s) => localStorage.setItem('mizu.text_size', s), size));
  await waitForItem(page, byId('login.title'), 'login screen');
  await signIn(page);
  let checked = 0;
  for (const route of LOGGED_IN) {
    await visit(page, route);
    for (const item of await page.evaluate(() => window.mizu.items())) {
      if (item.role === 'row' && item.rect.h <= 1) continue;  // a chart's table twin (not drawn)
      assert.ok(item.rect.x >= -0.5 && item.rect.x + item.rect.w <= 320.5, `${route}: ${item.id} at x ${item.rect.x}+${item.rect.w}`);
      ++checked;
    }
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, route);
    // No words drawn under another item (the header's subtitle once ran under 「文字サイズ」).
    const drawn = (await page.evaluate(() => window.mizu.items())).filter((i) => !['chart', 'bar', 'table', 'row'].includes(i.role) && i.rect.w > 0 && i.rect.h > 0);
    for (const a of drawn.filter((i) => ['text', 'heading', 'field', 'brand', 'status', 'alert'].includes(i.role)))
      for (const b of drawn) {
        if (a === b) continue;
        const w = Math.min(a.rect.x + a.rect.w, b.rect.x + b.rect.w) - Math.max(a.rect.x, b.rect.x);
        const h = Math.min(a.rect.y + a.rect.h, b.rect.y + b.rect.h) - Math.max(a.rect.y, b.rect.y);
        assert.ok(w <= 2 || h <= 2, `${route}: ${a.id} 「${a.label}」 overlaps ${b.id} by ${w.toFixed(1)} × ${h.toFixed(1)} px`);
      }
  }
  // The date field's calendar open: everything of it inside the column the days fill.
  await visit(page, '/applications');
  await tap(page, 'applications.desired_date.calendar');
  await waitForItem(page, byId('applications.desired_date.calendar.month'), 'the calendar');
  const cal = (await page.evaluate(() => window.mizu.items())).filter((i) => i.id.startsWith('applications.desired_date.calendar'));
  const column = Math.max(...cal.filter((i) => /\.day\.\d+$/.test(i.id)).map((i) => i.rect.x + i.rect.w));
  for (const i of cal)
    assert.ok(i.rect.x + i.rect.w <= column + 0.5, `${i.id} ends at ${i.rect.x + i.rect.w}, the column at ${column}`);
  assert.ok(checked > 200, `${checked} items checked`);
  assert.deepEqual(errors, []);
  await context.close();
});
