// Logging in for real: the demo resident logs in through the login screen (real keyboard and pointer events
// through the text bridge), lands on トップ with the contracts from the server, and logs out again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, openApp, waitForItem, waitUntil, click, tap, outDir } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function type(page, id, text) {
  await click(page, await waitForItem(page, (i) => i.id === id, id));
  await waitUntil(page, () => document.activeElement !== null && document.activeElement.id === 'mizu-text',
    'the text bridge to take focus');
  await page.keyboard.type(text);
  await waitForItem(page, (i) => i.id === id && (i.role === 'password' || i.value === text), `${id} = ${text}`);
}

test('a wrong password shows the server message; the right one opens トップ; logout returns', async () => {
  const { page, context, errors } = await openApp(browser, server.url, { viewport: { width: 390, height: 844 } });
  await type(page, 'login.email', 'demo@mizumori.example');
  await type(page, 'login.password', 'not the password');
  await click(page, await waitForItem(page, (i) => i.id === 'login.submit', 'submit'));
  const notice = await waitForItem(page, (i) => i.id === 'login.notice', 'login failure notice', 20000);
  assert.equal(notice.label, 'メールアドレスまたはパスワードが正しくありません。');

  await click(page, await waitForItem(page, (i) => i.id === 'login.password', 'password'));
  for (let i = 0; i < 'not the password'.length; ++i) await page.keyboard.press('Backspace');
  await page.keyboard.type('mizumori-demo-2026');
  await click(page, await waitForItem(page, (i) => i.id === 'login.submit' && i.enabled, 'submit'));
  await waitForItem(page, (i) => i.id === 'top.title' && i.label === 'トップ', 'the top screen', 20000);
  const number = await waitForItem(page, (i) => i.id === 'top.contract.0.number', 'the primary contract');
  assert.match(number.label, /お客様番号 0-0000008002（優先表示）/);
  await waitUntil(page, () => window.mizu.dataFontLoaded(), 'the JIS font for data text');
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(outDir, 'top-ja.png') });

  await tap(page, 'menu.logout');
  await waitForItem(page, (i) => i.id === 'login.title', 'back at the login screen', 20000);
  const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
  assert.equal(me, 401);
  // The failed login's 401 is an expected network error in the console; nothing else may be there.
  assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
  await context.close();
});
