// Accessibility of the canvas app through its semantics layer (web/shell/semantics.js, docs/accessibility.md),
// in real Chromium against the real server with the demo data:
// - axe-core (npm, pinned in package.json) finds no WCAG 2.0/2.1 A/AA violation on the main screens, logged
//   out and in, in Japanese and English;
// - Chromium's own accessibility tree (CDP Accessibility.getFullAXTree) lists the login screen's heading,
//   fields, check box, button and links with the right roles and names in reading order, and the usage table's
//   header and cells;
// - a keyboard-only visit (Tab, typing, Enter, no pointer at all) signs in and reaches the usage table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, waitForItem, waitUntil, click, tap, typeInto } from './harness.mjs';
import { assertAxeClean, axTree, assertInOrder, tabTo, textContrasts } from './a11y_helpers.mjs';
const EMAIL = 'demo@mizumori.example';
const PASSWORD = 'mizumori-demo-2026';

const env = suite({ demo: true, pinClock: true });
// axe is injected as a script: the page's Content-Security-Policy (script-src 'self') would refuse it.
const open = (viewport) => openApp(env.browser, env.server.url, { viewport, bypassCSP: true });

test('the login screen in the accessibility tree: roles and names in reading order, Japanese then English', async () => {
  const { page, context, errors } = await open({ width: 390, height: 844 });
  await waitForItem(page, (i) => i.id === 'login.title', 'login screen');
  await waitUntil(page, () => document.title.startsWith('ログイン'), 'the page title');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
  assertInOrder(await axTree(page), [
    { role: 'heading', name: 'ログイン' },
    { role: 'textbox', name: 'メールアドレスまたは携帯電話番号' },
    { role: 'textbox', name: 'パスワード' },
    { role: 'checkbox', name: 'このデバイスでログインしたままにする' },
    { role: 'button', name: 'ログイン' },
    { role: 'link', name: 'パスワードをお忘れの方' },
  ], 'login (ja)');
  await assertAxeClean(page, 'login (ja)');

  await click(page, await waitForItem(page, (i) => i.id === 'lang.switch', 'language switch'));
  await waitForItem(page, (i) => i.id === 'login.title' && i.label === 'Log in', 'English title');
  await waitUntil(page, () => document.documentElement.lang === 'en', '<html lang="en">');
  assertInOrder(await axTree(page), [
    { role: 'heading', name: 'Log in' },
    { role: 'textbox', name: 'E-mail address or mobile number' },
    { role: 'textbox', name: 'Password' },
    { role: 'button', name: 'Log in' },
  ], 'login (en)');
  await assertAxeClean(page, 'login (en)');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an empty submit announces the errors and moves focus to the first field in error', async () => {
  const { page, context } = await open({ width: 1024, height: 800 });
  await waitForItem(page, (i) => i.id === 'login.title', 'login screen');
  await tabTo(page, 'login.submit');
  await page.keyboard.press('Enter');
  await waitUntil(page, () => window.mizu.editing() === 'login.email', 'focus on the first field in error');
  const twin = await page.evaluate(() => {
    const el = document.querySelector('[data-mizu-id="login.email"]');
    return { invalid: el.getAttribute('aria-invalid'), described: document.getElementById(el.getAttribute('aria-describedby'))?.textContent,
      announced: document.querySelector('.mizu-announce').textContent };
  });
  assert.equal(twin.invalid, 'true');
  assert.equal(twin.described, '入力してください。');
  assert.match(twin.announced, /メールアドレスまたは携帯電話番号: 入力してください。/);
  await context.close();
});

test('keyboard only: sign in, open ご利用実績 and read its table, with no pointer at all', async () => {
  const { page, context, errors } = await open({ width: 1024, height: 800 });
  await waitForItem(page, (i) => i.id === 'login.title', 'login screen');
  // The screen's heading has focus at the start; the first Tab stop of the page is the skip link, which leads
  // back to the heading; then the fields follow in reading order.
  await waitUntil(page, () => document.activeElement?.dataset.mizuId === 'login.title', 'focus on the heading');
  assert.equal(await page.evaluate(() => document.querySelector('#mizu-semantics a, #mizu-semantics button, #mizu-semantics input').className), 'mizu-skip');
  for (let k = 0; k < 10 && !(await page.evaluate(() => document.activeElement.className === 'mizu-skip')); ++k) await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.mizuId), 'login.title');
  await tabTo(page, 'login.email');
  await page.keyboard.type(EMAIL);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.mizu.editing()), 'login.password');
  await page.keyboard.type(PASSWORD);
  await tabTo(page, 'login.submit');
  await page.keyboard.press('Enter');
  await waitForItem(page, (i) => i.id === 'top.title', 'the top screen', 20000);
  await waitUntil(page, () => document.activeElement?.dataset.mizuId === 'top.title', 'focus on the new screen\'s heading');
  await waitUntil(page, () => document.title.startsWith('トップ') || document.title.includes('|'), 'the top page title');
  await assertAxeClean(page, 'top (ja)');

  await tabTo(page, 'top.quick.menu.usage');
  await page.keyboard.press('Enter');
  await waitForItem(page, (i) => i.id === 'usage.row.0', 'the usage table', 20000);
  await waitUntil(page, () => document.querySelector('table[data-mizu-id="usage"] tbody tr') !== null, 'the <table> twin');
  const table = await page.evaluate(() => {
    const t = document.querySelector('table[data-mizu-id="usage"]');
    return { heads: [...t.tHead.rows[0].cells].map((c) => c.textContent), rows: t.tBodies[0].rows.length,
      first: [...t.tBodies[0].rows[0].cells].map((c) => c.textContent) };
  });
  const registryRows = (await page.evaluate(() => window.mizu.items())).filter((i) => i.id.startsWith('usage.row.'));
  assert.equal(table.rows, registryRows.length);
  assert.deepEqual(table.first, registryRows[0].cells);
  assert.ok(table.heads.length >= 2 && table.heads.every((h) => h.length > 0), JSON.stringify(table.heads));
  const tree = await axTree(page);
  assert.ok(tree.some((n) => n.role === 'columnheader' && n.name === table.heads[0]), 'a column header in the AX tree');
  assert.ok(tree.some((n) => n.role === 'cell' && n.name === table.first[0]), 'a cell in the AX tree');
  // The chart's text alternative: one sentence with the average worked here from the bars' own values.
  const bars = (await page.evaluate(() => window.mizu.items())).filter((i) => i.id.startsWith('usage.chart.bar.'));
  const values = bars.map((b) => Number(b.value));
  const average = Math.round(values.reduce((a, v) => a + v, 0) / values.length);
  const alt = await page.evaluate(() => document.querySelector('[data-mizu-id="usage.chart"]').getAttribute('aria-label'));
  assert.ok(alt.includes(`直近${values.length}回の平均は${average.toLocaleString('en-US')} m³です。`), alt);
  assert.match(alt, /前年同期(より\d+ m³(多く|少なく)なっています|と同じです)。/);
  await assertAxeClean(page, 'usage (ja)');
  assert.deepEqual(errors, []);
  await context.close();
});

const INTERACTIVE = new Set(['button', 'link', 'input', 'password', 'checkbox', 'radio', 'select']);

test('every target is at least 44 × 44 CSS px, and nothing is clipped at 320 CSS px (200 % zoom of 640)', async () => {
  // 640 px at 200 % zoom is 320 CSS px at devicePixelRatio 2.
  const { page, context, errors } = await openApp(env.browser, env.server.url,
    { viewport: { width: 320, height: 640 }, deviceScaleFactor: 2, bypassCSP: true });
  const login = await waitForItem(page, (i) => i.id === 'login.title', 'login screen');
  assert.ok(login.rect.w > 0);
  let checked = 0;
  for (const item of await page.evaluate(() => window.mizu.items())) {
    if (INTERACTIVE.has(item.role)) {
      assert.ok(item.rect.h >= 43.5, `${item.id} is ${item.rect.h} px tall`);
      assert.ok(item.rect.w >= 43.5, `${item.id} is ${item.rect.w} px wide`);
    }
    // Nothing drawn past the right edge (no horizontal scrolling, no text cut off at the side).
    assert.ok(item.rect.x >= -0.5 && item.rect.x + item.rect.w <= 320.5, `${item.id} at x ${item.rect.x}+${item.rect.w}`);
    ++checked;
  }
  assert.ok(checked > 8, `${checked} items checked`);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('「文字サイズ」 makes every text larger and is remembered', async () => {
  const { page, context } = await open({ width: 390, height: 844 });
  const before = await waitForItem(page, (i) => i.id === 'login.title', 'login screen');
  const button = await waitForItem(page, (i) => i.id === 'text_size.switch', 'the text size switch');
  assert.equal(button.label, '文字サイズ：標準');
  await click(page, button);
  await waitForItem(page, (i) => i.id === 'text_size.switch' && i.label === '文字サイズ：大', 'large');
  const large = await waitForItem(page, (i) => i.id === 'login.title' && i.rect.h > before.rect.h, 'a taller title');
  // 24 px heading × 1.25: the line is a quarter taller (±2 px of rounding).
  assert.ok(Math.abs(large.rect.h - before.rect.h * 1.25) <= 2, `${before.rect.h} → ${large.rect.h}`);
  await page.reload();
  await page.waitForFunction(() => window.mizu && window.mizu.ready());
  await waitForItem(page, (i) => i.id === 'text_size.switch' && i.label === '文字サイズ：大', 'large after a reload');
  await click(page, await waitForItem(page, (i) => i.id === 'text_size.switch', 'the switch'));
  await waitForItem(page, (i) => i.id === 'text_size.switch' && i.label === '文字サイズ：特大', 'extra large');
  const xl = await waitForItem(page, (i) => i.id === 'login.title' && i.rect.h > large.rect.h, 'a taller title again');
  assert.ok(Math.abs(xl.rect.h - before.rect.h * 1.5) <= 2, `${before.rect.h} → ${xl.rect.h}`);
  await context.close();
});

test('drawn text reaches 4.5:1 against its background (the pixels, not the theme)', async () => {
  const { page, context } = await open({ width: 390, height: 844 });
  await waitForItem(page, (i) => i.id === 'login.title', 'login screen');
  await waitUntil(page, () => window.mizu.dataFontLoaded() && window.mizu.inputPending() === 0, 'a settled screen');
  const contrasts = await textContrasts(page);
  assert.ok(contrasts.length >= 6, `${contrasts.length} texts measured`);
  for (const c of contrasts) assert.ok(c.ratio >= 4.5, `${c.id} 「${c.label}」: ${c.ratio.toFixed(2)}:1`);
  await context.close();
});

test('axe finds no violation on 見守り登録 and on the logged-in screens in English', async () => {
  const { page, context, errors } = await open({ width: 1024, height: 800 });
  await typeInto(page, 'login.email', EMAIL);
  await typeInto(page, 'login.password', PASSWORD);
  await tap(page, 'login.submit');
  // The latest bill arrives after the screen: tap once it is in (it moves the rows below it).
  await waitForItem(page, (i) => i.id === 'top.bill.total', 'the latest bill', 20000);
  await waitForItem(page, (i) => i.id === 'top.notice.0', 'the notices', 20000);
  await tap(page, 'top.quick.procedures.watch');
  await waitForItem(page, (i) => i.id === 'watch.title', 'the watch screen', 20000);
  await assertAxeClean(page, '見守り登録 (ja)');
  await tap(page, 'lang.switch');
  await waitUntil(page, () => document.documentElement.lang === 'en', '<html lang="en">');
  await assertAxeClean(page, 'watch (en)');
  await tap(page, 'menu.open');
  await tap(page, 'menu.usage');
  await waitForItem(page, (i) => i.id === 'usage.row.0', 'the usage table', 20000);
  await assertAxeClean(page, 'usage (en)');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the browser\'s default text size (20 px instead of 16 px) makes the app\'s text a quarter larger', async () => {
  const plain = await open({ width: 390, height: 844 });
  const base = await waitForItem(plain.page, (i) => i.id === 'login.title', 'login screen');
  await plain.context.close();
  // The OS/browser font-size setting shows as the root element's computed font-size; set it as the setting would.
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
  await context.addInitScript(() => {
    document.addEventListener('readystatechange', () => { document.documentElement.style.fontSize = '20px'; }, { once: true });
    if (document.documentElement) document.documentElement.style.fontSize = '20px';
  });
  const page = await context.newPage();
  await page.goto(env.server.url);
  await page.waitForFunction(() => window.mizu && window.mizu.ready(), null, { timeout: 60000 });
  const big = await waitForItem(page, (i) => i.id === 'login.title' && i.rect.h > base.rect.h, 'a larger title');
  assert.ok(Math.abs(big.rect.h - base.rect.h * 1.25) <= 2, `${base.rect.h} → ${big.rect.h}`);
  await context.close();
});
