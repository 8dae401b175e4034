// A counter kiosk in Chromium at 1080×1920 portrait with touch input (docs/kiosk.md): the terminal enrolled with
// `mizumori kiosk enrol`, opened at its start URL. A resident logs in with the app's own keyboard, views usage
// and walks away; after the idle countdown the start screen is back and nothing of them is left — cookies,
// storages, caches, the wasm memory (searched for their customer number, name, address, e-mail, password),
// the DOM, the canvas (compared with a fresh start), history — and their old session cookie is refused. The
// kana keyboard types 「ヤマダ タロウ」 into 契約の追加, and 「最初の画面に戻る」 forgets that visit too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { suite, openApp, items, waitForItem, waitUntil, reveal, settled, outDir } from './harness.mjs';

const IDLE_SECONDS = 30;  // the shortest kiosk.idle_seconds a utility may set (docs/kiosk.md)
const WARN_SECONDS = 10;
let token = '';
const env = suite({
  demo: true,
  config: { kiosk: { idle_seconds: IDLE_SECONDS, warn_seconds: WARN_SECONDS } },
  prepare(binary, data) {
    const r = spawnSync(binary, ['kiosk', 'enrol', '--name', '本庁 1番窓口', '--data', data], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    token = /#\/\?kiosk=([A-Za-z0-9_-]+)/.exec(r.stdout)[1];
  },
});

const VIEWPORT = { width: 1080, height: 1920 };
const EMAIL = 'demo@mizumori.example';
const PASSWORD = 'mizumori-demo-2026';
const byId = (id) => (i) => i.id === id;
const startUrl = () => `${env.server.url}#/?kiosk=${token}`;

async function openKiosk() {
  return openApp(env.browser, startUrl(), { viewport: VIEWPORT, hasTouch: true, isMobile: false });
}

// A finger's tap in the middle of the item (touchstart/touchend: the app's touch path, not a mouse click).
async function touch(page, pred, what) {
  const item = await reveal(page, (i) => pred(i) && i.enabled, what);
  await settled(page);
  const before = await page.evaluate(() => [window.mizu.frames(), performance.timeOrigin]);
  await page.touchscreen.tap(item.rect.x + item.rect.w / 2, item.rect.y + item.rect.h / 2);
  await waitUntil(page, ([n, doc]) => performance.timeOrigin !== doc ||
    (window.mizu.inputPending() === 0 && window.mizu.frames() >= n + 4), `the tap on ${what}`, before);
  return item;
}
const touchId = (page, id) => touch(page, byId(id), id);
// The keyboard's 次へ: the next field of the form (one that may lie under the keyboard).
async function next(page, id) {
  await touchId(page, 'osk.next');
  await waitUntil(page, (f) => window.mizu.items().some((i) => i.id === f) &&
    window.mizu.editing() === f, `${id} focused`, id);
}
// The on-screen keyboard's key named `name` (its accessible name: 「ヤ」, 「濁点」, 「m」).
const key = (page, name) => touch(page, (i) => i.id.startsWith('osk.') && i.label === name, `the key ${name}`);
async function typeKeys(page, text) {
  for (const ch of text) await key(page, ch);
}

// Whether the wasm memory holds any of these strings (as UTF-8), and which.
async function inMemory(page, strings) {
  return page.evaluate((list) => {
    const heap = Module.HEAPU8;
    const found = [];
    for (const s of list) {
      const needle = new TextEncoder().encode(s);
      outer: for (let i = 0; i + needle.length <= heap.length; ++i) {
        if (heap[i] !== needle[0]) continue;
        for (let j = 1; j < needle.length; ++j) if (heap[i + j] !== needle[j]) continue outer;
        found.push(s);
        break;
      }
    }
    return found;
  }, strings);
}

async function browserStorage(page) {
  return page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    databases: (await indexedDB.databases()).length,
    caches: (await caches.keys()).length,
    workers: (await navigator.serviceWorker.getRegistrations()).length,
  }));
}

test('a visit with the on-screen keyboard, then the idle timeout: nothing of the visitor is left', async () => {
  const { page, context, errors } = await openKiosk();
  const leaves = [];
  page.on('response', (r) => {  // allHeaders: headers() leaves security headers out
    if (r.url().endsWith('/api/v1/logout')) leaves.push(r.allHeaders().then((h) => h['clear-site-data']));
  });

  // The start screen: the terminal's name, 「最初の画面に戻る」, no 「ログインしたままにする」 or password reset.
  await waitForItem(page, (i) => i.id === 'app.subtitle' && i.label === '窓口端末：本庁 1番窓口', 'the kiosk subtitle');
  await waitForItem(page, byId('kiosk.leave'), 'the leave button');
  const start = await items(page);
  assert.ok(!start.some((i) => i.id === 'login.remember' || i.id === 'login.forgot'));
  // Large targets: every button at least 57 CSS px (15 mm at 96 px per inch) high.
  for (const b of start.filter((i) => i.role === 'button' || i.role === 'link'))
    assert.ok(b.rect.h >= 57, `${b.id} is ${b.rect.h} px high`);
  await waitUntil(page, () => window.mizu.dataFontLoaded(), 'the data font');
  await settled(page);
  const freshShot = await page.locator('canvas').screenshot();
  const historyAtStart = await page.evaluate(() => history.length);

  // The Latin keyboard with the mail domains for the e-mail field: one key types a whole domain.
  await touchId(page, 'login.email');
  await typeKeys(page, 'demo');
  await key(page, '@docomo.ne.jp');
  await waitForItem(page, (i) => i.id === 'login.email' && i.value === 'demo@docomo.ne.jp', 'a domain typed');
  const keys = (await items(page)).filter((i) => i.id.startsWith('osk.key.'));
  for (const d of ['@ezweb.ne.jp', '@softbank.ne.jp', '@icloud.com', '@gmail.com'])
    assert.ok(keys.some((k) => k.label === d), d);
  for (const k of keys) assert.ok(k.rect.h >= 57 && k.rect.w >= 57, `key ${k.label}: ${k.rect.w}×${k.rect.h}`);
  for (let i = 0; i < '@docomo.ne.jp'.length; ++i) await touchId(page, 'osk.backspace');
  await typeKeys(page, '@mizumori.example');
  await waitForItem(page, (i) => i.id === 'login.email' && i.value === EMAIL, 'the e-mail typed');
  await next(page, 'login.password');
  // 大文字 is a toggle: its state is aria-pressed (false, then true once pressed), never words in its name.
  const shift = async () => page.evaluate(() => {
    const item = window.mizu.items().find((i) => i.id.startsWith('osk.key.') && i.label === '大文字');
    const el = document.querySelector(`[data-mizu-id="${item.id}"]`);
    return { id: item.id, text: el.textContent, pressed: el.getAttribute('aria-pressed') };
  });
  const off = await shift();
  assert.deepEqual([off.text, off.pressed], ['大文字', 'false']);
  await touchId(page, off.id);
  await waitUntil(page, () => window.mizu.items().some((i) => i.label === '大文字' && i.value === 'true'), 'shift on');
  const on = await shift();
  assert.deepEqual([on.text, on.pressed], ['大文字', 'true']);
  await touchId(page, on.id);
  await waitUntil(page, () => window.mizu.items().some((i) => i.label === '大文字' && i.value === 'false'), 'shift off');
  await typeKeys(page, PASSWORD);
  await touchId(page, 'osk.close');
  await touchId(page, 'login.submit');
  await waitForItem(page, (i) => i.id === 'top.title', 'トップ', 20000);
  const cookie = (await context.cookies()).find((c) => c.name === 'mizu_session');
  assert.ok(cookie && cookie.expires === -1, 'a session cookie that ends with the browser');

  // What the visitor's data looks like, from the server (the strings searched for afterwards).
  const me = await page.evaluate(async (t) => (await fetch('/api/v1/me', { headers: { 'X-Mizu-Kiosk': t } })).json(), token);
  const contract = me.contracts[0];
  const secrets = [EMAIL, PASSWORD, contract.customer_number, contract.display_number, contract.holder_name,
    contract.address];
  assert.deepEqual(await inMemory(page, [EMAIL, contract.customer_number]), [EMAIL, contract.customer_number],
    'the search finds what is there');
  // A fresh module holds the seeds' example number as text of the app (the staff console's search hint,
  // 「0-0000008002」), which is the demo resident's too: that one is expected in any module, nothing else.
  const fresh = await openKiosk();
  await waitForItem(fresh.page, byId('login.email'), 'a fresh start screen');
  const baseline = await inMemory(fresh.page, secrets);
  assert.ok(baseline.every((s) => s === '0-0000008002'), JSON.stringify(baseline));
  await fresh.context.close();

  // Traces a page could leave in the browser's stores (the app itself writes none at a kiosk): all must go.
  await page.evaluate(async () => {
    localStorage.setItem('trace', 'visitor');
    sessionStorage.setItem('trace', 'visitor');
    await new Promise((resolve, reject) => {
      const open = indexedDB.open('trace');
      open.onsuccess = () => { open.result.close(); resolve(); };
      open.onerror = reject;
    });
    await (await caches.open('trace')).put('/trace', new Response('visitor'));
  });
  assert.deepEqual(await browserStorage(page), { local: 1, session: 1, databases: 1, caches: 1, workers: 0 });

  // No アカウント or 退会 at a kiosk.
  await touchId(page, 'menu.open');
  await touchId(page, 'menu.procedures');
  await waitForItem(page, byId('procedures.kiosk_note'), 'the kiosk note');
  assert.ok(!(await items(page)).some((i) => i.id === 'procedures.account' || i.id === 'procedures.withdraw'));
  await touchId(page, 'menu.open');
  await touchId(page, 'menu.usage');
  await waitForItem(page, (i) => i.id.startsWith('usage.') && i.role === 'heading', 'ご利用実績', 20000);

  // Walking away: the countdown, 「続ける」 puts it off once; then the start screen.
  const countdown = await waitForItem(page, byId('kiosk.countdown'), 'the countdown', IDLE_SECONDS * 1000);
  assert.match(countdown.label, /^まもなく最初の画面に戻ります（あと\d+秒）/);
  await touchId(page, 'kiosk.continue');
  await waitUntil(page, () => !window.mizu.items().some((i) => i.id === 'kiosk.countdown'), 'the countdown gone');
  assert.ok((await items(page)).some((i) => i.id.startsWith('usage.')), 'still on ご利用実績');
  await waitForItem(page, byId('kiosk.countdown'), 'the countdown again', IDLE_SECONDS * 1000);
  await waitForItem(page, (i) => i.id === 'login.email' && i.value === '', 'the start screen', IDLE_SECONDS * 1000);
  // Each end of a visit and each start of the page (which ends any session the browser still holds) logged out.
  const answers = await Promise.all(leaves);
  assert.ok(answers.length >= 2, JSON.stringify(answers));
  for (const a of answers) assert.equal(a, '"cache", "cookies"');

  // Nothing of the visitor: cookies, storages, caches, service workers, memory, DOM, canvas, history.
  assert.deepEqual((await context.cookies()).filter((c) => c.name === 'mizu_session'), []);
  await waitUntil(page, async () => (await indexedDB.databases()).length === 0 && (await caches.keys()).length === 0,
    'the stores wiped at the start of the page');
  assert.deepEqual(await browserStorage(page), { local: 0, session: 0, databases: 0, caches: 0, workers: 0 });
  assert.deepEqual(await inMemory(page, secrets), baseline);
  const dom = await page.evaluate(() => document.documentElement.outerHTML +
    [...document.querySelectorAll('input')].map((i) => i.value).join('\n'));
  for (const s of secrets) assert.ok(!dom.includes(s), `the DOM holds ${s}`);
  await waitUntil(page, () => window.mizu.dataFontLoaded(), 'the data font');
  await settled(page);
  const afterShot = await page.locator('canvas').screenshot();
  assert.ok(afterShot.equals(freshShot), 'the canvas is the fresh start screen');
  await page.screenshot({ path: join(outDir, 'kiosk-start.png') });
  // The visit added no history entry: 戻る leads to what was before the start URL (here the test browser's
  // about:blank; a kiosk browser opens at the start URL, so nothing), never to a screen of the visitor.
  assert.equal(await page.evaluate(() => history.length), historyAtStart);
  await page.goBack();
  await waitUntil(page, () => document.readyState === 'complete', 'the page after 戻る');
  const back = await items(page);
  assert.ok(!back.some((i) => i.id.startsWith('usage.') || i.id.startsWith('top.') || i.id.startsWith('menu.')));
  const backDom = await page.evaluate(() => document.documentElement.outerHTML);
  for (const s of secrets) assert.ok(!backDom.includes(s), `after 戻る the DOM holds ${s}`);

  // The old session cookie, replayed from this terminal, is refused.
  const replay = await fetch(env.server.url + 'api/v1/me',
    { headers: { Cookie: `mizu_session=${cookie.value}`, 'X-Mizu-Kiosk': token } });
  assert.equal(replay.status, 401);
  assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
  await context.close();
});

test('the kana keyboard types ヤマダ タロウ into 契約の追加; 最初の画面に戻る forgets the visit', async () => {
  const { page, context } = await openKiosk();
  await touchId(page, 'login.email');
  await typeKeys(page, EMAIL);
  await next(page, 'login.password');
  await typeKeys(page, PASSWORD);
  await touchId(page, 'osk.close');
  await touchId(page, 'login.submit');
  await waitForItem(page, byId('top.title'), 'トップ', 20000);
  await touchId(page, 'menu.open');
  await touchId(page, 'menu.contracts');
  await touchId(page, 'contracts.add');
  await touchId(page, 'contract_add.name_kana');
  // The 50音 table: ヤ マ タ+濁点 空白 タ ロ ウ.
  for (const k of ['ヤ', 'マ', 'タ', '濁点', '空白', 'タ', 'ロ', 'ウ']) await key(page, k);
  await waitForItem(page, (i) => i.id === 'contract_add.name_kana' && i.value === 'ヤマダ タロウ', 'the kana typed');
  // 小さい文字 and 半濁点 turn the last character and back.
  await key(page, 'ツ');
  await key(page, '小さい文字');
  await waitForItem(page, (i) => i.id === 'contract_add.name_kana' && i.value === 'ヤマダ タロウッ', 'a small ッ');
  await touchId(page, 'osk.backspace');
  await waitForItem(page, (i) => i.id === 'contract_add.name_kana' && i.value === 'ヤマダ タロウ', 'deleted');
  assert.deepEqual(await inMemory(page, ['ヤマダ タロウ']), ['ヤマダ タロウ']);

  await touchId(page, 'kiosk.leave');
  await waitForItem(page, (i) => i.id === 'login.email' && i.value === '', 'the start screen', 20000);
  assert.deepEqual(await inMemory(page, ['ヤマダ タロウ', EMAIL, PASSWORD]), []);
  assert.deepEqual((await context.cookies()).filter((c) => c.name === 'mizu_session'), []);
  await context.close();
});

test('landscape 1920×1080: the keyboard takes the bottom and the field it types into stays in view', async () => {
  const { page, context } = await openApp(env.browser, startUrl(),
    { viewport: { width: 1920, height: 1080 }, hasTouch: true });
  // The e-mail keyboard (its tallest: letters and the mail domains).
  await touchId(page, 'login.email');
  await typeKeys(page, 'a1');  // "1" is in the top row of keys: nothing lies over it
  await key(page, '@gmail.com');
  await waitForItem(page, (i) => i.id === 'login.email' && i.value === 'a1@gmail.com', 'typed in landscape');
  await settled(page);
  let all = await items(page);
  const field = all.find((i) => i.id === 'login.email');
  const keys = all.filter((i) => i.id.startsWith('osk.'));
  const keyboardTop = Math.min(...keys.map((k) => k.rect.y));
  assert.ok(field.rect.y >= 0 && field.rect.y + field.rect.h <= keyboardTop,
    `the field (${field.rect.y}+${field.rect.h}) is above the keyboard (${keyboardTop})`);
  for (const k of keys) assert.ok(k.rect.y + k.rect.h <= 1080 && k.rect.h >= 57, `${k.label} on screen, large`);
  // 記号: a password may hold any symbol.
  await next(page, 'login.password');
  await key(page, '記号');
  await typeKeys(page, '!#');
  await waitForItem(page, (i) => i.id === 'login.password' && i.shown === '**', 'two symbols typed');
  // 閉じる: the keyboard goes, the fields keep what was typed.
  await touchId(page, 'osk.close');
  await waitUntil(page, () => !window.mizu.items().some((i) => i.id.startsWith('osk.')), 'the keyboard closed');
  all = await items(page);
  assert.equal(all.find((i) => i.id === 'login.email').value, 'a1@gmail.com');
  await context.close();
});

test('an unknown or revoked terminal token: the app says so and offers nothing', async () => {
  const { page, context } = await openApp(env.browser, `${env.server.url}#/?kiosk=not-a-token`,
    { viewport: VIEWPORT, hasTouch: true });
  const refused = await waitForItem(page, byId('kiosk.refused'), 'the refusal');
  assert.match(refused.label, /窓口端末として登録されていない/);
  assert.ok(!(await items(page)).some((i) => i.id === 'login.email'));
  await context.close();
});
