// The login screen shell in real Chromium against the real server: Japanese labels from the registry,
// the language switch, IME text entry with normalisation by the shared validators, crisp rendering on
// devicePixelRatio 2, idleness (no frames while nothing changes) and no console errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { suite, openApp, items, waitForItem, waitUntil, click, outDir } from './harness.mjs';

const env = suite();

const labels = (list) => list.map((i) => i.label);

test('login screen in Japanese, then English, without console errors', async () => {
  const { page, context, errors } = await openApp(env.browser, env.server.url, { viewport: { width: 1024, height: 768 } });
  // The start-up session check answers first ("通信中…"): read the screen once the login form is drawn.
  await waitForItem(page, (i) => i.id === 'login.title', 'login screen');
  const ja = labels(await items(page));
  for (const l of ['ログイン', 'メールアドレスまたは携帯電話番号', 'パスワード', 'このデバイスでログインしたままにする',
    'パスワードをお忘れの方', '新規会員登録', 'English']) {
    assert.ok(ja.includes(l), `missing Japanese label ${l} in ${JSON.stringify(ja)}`);
  }
  await page.screenshot({ path: join(outDir, 'login-ja.png') });

  await click(page, await waitForItem(page, (i) => i.id === 'lang.switch', 'language switch'));
  await waitForItem(page, (i) => i.id === 'login.title' && i.label === 'Log in', 'English title');
  const en = labels(await items(page));
  for (const l of ['Log in', 'E-mail address or mobile number', 'Password', 'Keep me logged in on this device', '日本語']) {
    assert.ok(en.includes(l), `missing English label ${l} in ${JSON.stringify(en)}`);
  }
  assert.ok(!en.includes('メールアドレス'));
  await page.screenshot({ path: join(outDir, 'login-en.png') });

  await click(page, await waitForItem(page, (i) => i.id === 'lang.switch', 'language switch'));
  await waitForItem(page, (i) => i.id === 'login.title' && i.label === 'ログイン', 'Japanese title again');
  assert.deepEqual(errors, []);
  await context.close();
});

test('text typed through the IME path lands in the field and is normalised on submit', async () => {
  const { page, context, errors } = await openApp(env.browser, env.server.url, { viewport: { width: 390, height: 844 } });
  await click(page, await waitForItem(page, (i) => i.id === 'login.email', 'email field'));
  await waitUntil(page, () => window.mizu.editing() !== null,
    'the HTML text bridge to take focus');
  await page.keyboard.insertText('ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｃｏｍ');
  await waitForItem(page, (i) => i.id === 'login.email' && i.value === 'ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｃｏｍ',
    'full-width text in the field');
  await click(page, await waitForItem(page, (i) => i.id === 'login.submit', 'submit'));
  await waitForItem(page, (i) => i.id === 'login.email' && i.value === 'yamada@example.com',
    'normalised e-mail');
  const password = await waitForItem(page, (i) => i.id === 'login.password' && i.error, 'password error');
  assert.equal(password.error, '入力してください。');
  await page.screenshot({ path: join(outDir, 'login-phone.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('crisp on devicePixelRatio 2 and idle when nothing changes', async () => {
  const { page, context, errors } = await openApp(env.browser, env.server.url,
    { viewport: { width: 800, height: 600 }, deviceScaleFactor: 2 });
  const size = await page.evaluate(() => {
    const c = document.getElementById('canvas');
    return { w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight };
  });
  assert.equal(size.w, size.cw * 2);
  assert.equal(size.h, size.ch * 2);
  // Registry rects are CSS pixels, so they must fit the CSS viewport.
  for (const item of await items(page)) assert.ok(item.rect.x + item.rect.w <= 800 + 1, JSON.stringify(item));
  await page.waitForTimeout(500);
  const before = await page.evaluate(() => window.mizu.frames());
  await page.waitForTimeout(1000);
  const after = await page.evaluate(() => window.mizu.frames());
  assert.equal(after, before, 'frames were drawn while idle');
  await page.mouse.move(100, 100);
  await waitUntil(page, (n) => window.mizu.frames() > n, 'a frame after pointer input', before);
  await page.screenshot({ path: join(outDir, 'login-dpr2.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('touch: a finger drag scrolls the page without pressing anything, a tap presses', async () => {
  const { page, context, errors } = await openApp(env.browser, env.server.url,
    { viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true });
  const cdp = await context.newCDPSession(page);
  const touch = (type, x, y) => cdp.send('Input.dispatchTouchEvent',
    { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
  // The application form (public, long: its submit button is below the fold). A tap on a choice presses it.
  await page.goto(env.server.url + '#/applications');
  await page.waitForFunction(() => window.mizu && window.mizu.ready(), null, { timeout: 60000 });
  const moveOut = await waitForItem(page, (i) => i.id === 'applications.kind.move_out', 'the move-out choice', 20000);
  await page.touchscreen.tap(moveOut.rect.x + moveOut.rect.w / 2, moveOut.rect.y + moveOut.rect.h / 2);
  await waitForItem(page, (i) => i.id === 'applications.kind.move_out' && i.value === 'true', 'the tap to choose it');
  const before = await waitForItem(page, (i) => i.id === 'applications.submit', 'submit');
  assert.ok(before.rect.y > 640, 'the submit button starts below the fold');
  // Drag up from the middle of a text field: the page scrolls, and the field is not activated.
  const field = await waitForItem(page, (i) => i.id === 'applications.address', 'a field');
  const x = field.rect.x + 40;
  const y = field.rect.y + field.rect.h / 2;
  await touch('touchStart', x, y);
  for (let k = 1; k <= 10; ++k) await touch('touchMove', x, y - k * 30);
  await touch('touchEnd', x, y - 300);
  await waitUntil(page, (y0) => {
    const s = window.mizu.items().find((i) => i.id === 'applications.submit');
    return s && s.rect.y < y0 - 100;
  }, 'the page to scroll up', before.rect.y);
  assert.equal(await page.evaluate(() => window.mizu.editing()), null,
    'a drag must not start editing the field under the finger');
  await page.screenshot({ path: join(outDir, 'touch-scrolled.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('paste (Ctrl+V) into a field goes through the text bridge', async () => {
  const { page, context, errors } = await openApp(env.browser, env.server.url, { viewport: { width: 390, height: 844 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url.replace(/\/$/, '') });
  await page.evaluate(() => navigator.clipboard.writeText('hanako@example.jp'));
  await click(page, await waitForItem(page, (i) => i.id === 'login.email', 'email field'));
  await waitUntil(page, () => window.mizu.editing() !== null,
    'the HTML text bridge to take focus');
  await page.keyboard.press('Control+V');
  await waitForItem(page, (i) => i.id === 'login.email' && i.value === 'hanako@example.jp', 'the pasted text');
  assert.deepEqual(errors, []);
  await context.close();
});
