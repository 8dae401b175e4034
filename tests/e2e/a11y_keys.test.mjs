// Keyboard use and the drawn contrast of controls (docs/accessibility.md), in real Chromium against the real
// server with the demo data, without any pointer:
// - 見守り登録 by keys only: open and close a list (Esc), fill a recipient, read the preview of the three mails
//   in the confirmation step, go back with Esc (the input kept), register;
// - arrow keys move between the radios of a group; Esc closes the menu;
// - control boundaries (text field borders, check box and radio boxes) and the focus ring reach 3:1 on the
//   drawn pixels (WCAG 1.4.11).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, waitForItem, waitUntil, tap, typeInto, settled } from './harness.mjs';
import { tabTo, controlContrasts } from './a11y_helpers.mjs';

const EMAIL = 'demo@mizumori.example';
const PASSWORD = 'mizumori-demo-2026';

const env = suite({ demo: true, pinClock: true });
// bypassCSP: the pixel check decodes the screenshot through a data: URL, which connect-src 'self' refuses.
const open = (viewport = { width: 1024, height: 800 }) => openApp(env.browser, env.server.url, { viewport, bypassCSP: true });
const byId = (id) => (i) => i.id === id;
const focusedId = (page) => page.evaluate(() => document.activeElement?.closest('[data-mizu-id]')?.dataset.mizuId ?? null);
const twinText = (page, id) => page.evaluate((id) => document.querySelector(`[data-mizu-id="${id}"]`)?.textContent ?? null, id);

async function signInWithKeys(page) {
  await waitForItem(page, byId('login.title'), 'login screen');
  await tabTo(page, 'login.email');
  await page.keyboard.type(EMAIL);
  await tabTo(page, 'login.password');
  await page.keyboard.type(PASSWORD);
  await tabTo(page, 'login.submit');
  await page.keyboard.press('Enter');
  await waitForItem(page, byId('top.title'), 'the top screen', 20000);
  // The latest bill arrives after the screen and moves what is under it.
  await waitForItem(page, byId('top.bill.total'), 'the latest bill', 20000);
}

test('keys only: 見守り登録 with a list closed by Esc, the preview of the three mails, Esc back and 登録', async () => {
  const { page, context, errors } = await open();
  await signInWithKeys(page);
  await tabTo(page, 'top.quick.procedures.watch', 60);
  await page.keyboard.press('Enter');
  await waitForItem(page, byId('watch.recipient.0.email'), 'the watch form', 20000);
  const expanded = () => page.evaluate(() => document.querySelector('[data-mizu-id="watch.hour2"]').getAttribute('aria-expanded'));

  // A list opens with Enter and closes with Esc.
  await tabTo(page, 'watch.hour2');
  await page.keyboard.press('Enter');
  await waitForItem(page, byId('watch.hour2.option.0'), 'the open list');
  assert.equal(await expanded(), 'true');
  await page.keyboard.press('Escape');
  await waitUntil(page, () => !window.mizu.items().some((i) => i.id === 'watch.hour2.option.0'), 'the list closed');
  assert.equal(await expanded(), 'false');
  // Second window 18:00–24:00 (option 0 is 「なし」, option k+1 starts at k:00).
  await page.keyboard.press('Enter');
  await tabTo(page, 'watch.hour2.option.19');
  await page.keyboard.press('Enter');
  const hour2 = await waitForItem(page, (i) => i.id === 'watch.hour2' && i.value.startsWith('18:00'), 'the second window');
  assert.match(hour2.value, /^18:00〜24:00/);

  await tabTo(page, 'watch.recipient.0.name');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Hanako Suzuki');
  await tabTo(page, 'watch.recipient.0.email');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('hanako@example.jp');
  await tabTo(page, 'watch.confirm', 60);
  await page.keyboard.press('Enter');

  // The confirmation step shows what the recipient will get, composed by the server's mail code.
  // Each mail by its subject; its body opens on request (Enter on 「本文を見る」).
  await waitForItem(page, byId('watch.preview.no_data'), 'the mail preview', 20000);
  assert.match(await twinText(page, 'watch.preview.used'), /件名：【水守】見守り：水の使用がありました（\d+月\d+日 \d+:00〜\d+:00）/);
  assert.match(await twinText(page, 'watch.preview.not_used'), /件名：【水守】見守り：水の使用がありませんでした/);
  const body = async (outcome) => {
    await tabTo(page, `watch.preview.${outcome}.toggle`, 60);
    await page.keyboard.press('Enter');
    await waitForItem(page, byId(`watch.preview.${outcome}.body`), `the ${outcome} mail's body`);
    return twinText(page, `watch.preview.${outcome}.body`);
  };
  const used = await body('used');
  assert.match(used, /Hanako Suzuki 様/);
  assert.match(used, /使用水量：150 L/);
  assert.match(await body('no_data'), /「水の使用がなかった」という意味ではありません/);
  assert.equal(await page.evaluate(() => document.querySelector('[data-mizu-id="watch.preview.used.body"]')), null, 'one body at a time');

  // Esc is 戻る: the form again, with what was typed.
  await page.keyboard.press('Escape');
  await waitForItem(page, (i) => i.id === 'watch.recipient.0.name' && i.value === 'Hanako Suzuki', 'the form with the input kept');
  await tabTo(page, 'watch.confirm', 60);
  await page.keyboard.press('Enter');
  await waitForItem(page, byId('watch.preview.used'), 'the preview again', 20000);
  await tabTo(page, 'watch.register', 60);
  await page.keyboard.press('Enter');
  await waitForItem(page, byId('watch.done'), '登録 done', 20000);
  const mailed = await waitForItem(page, byId('watch.mailed'), 'who was mailed');
  assert.match(mailed.value, /hanako@example\.jp/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('arrow keys move between the radios of a group, and Esc closes the menu', async () => {
  const { page, context } = await open();
  await waitForItem(page, byId('login.title'), 'login screen');
  assert.deepEqual(await page.evaluate(() => ['login.email', 'login.password'].map((id) => document.querySelector(`[data-mizu-id="${id}"]`).autocomplete)),
    ['username', 'current-password']);
  await tap(page, 'login.applications');
  await waitForItem(page, (i) => i.id === 'applications.kind.move_in' && i.value === 'true', 'move-in chosen');
  await tabTo(page, 'applications.kind.move_in');
  await page.keyboard.press('ArrowRight');
  await waitForItem(page, (i) => i.id === 'applications.kind.move_out' && i.value === 'true', 'move-out by ArrowRight');
  assert.equal((await waitForItem(page, byId('applications.kind.move_in'), 'move-in')).value, 'false');
  assert.equal(await focusedId(page), 'applications.kind.move_out');
  await page.keyboard.press('ArrowLeft');
  await waitForItem(page, (i) => i.id === 'applications.kind.move_in' && i.value === 'true', 'move-in by ArrowLeft');
  await context.close();

  const second = await open();
  await signInWithKeys(second.page);
  await tabTo(second.page, 'menu.open');
  await second.page.keyboard.press('Enter');
  await waitForItem(second.page, byId('menu.close'), 'the menu');
  await second.page.keyboard.press('Escape');
  await waitForItem(second.page, byId('top.title'), 'back on トップ');
  await second.context.close();
});

test('field borders, check box and radio boxes and the focus ring reach 3:1 on the drawn pixels', async () => {
  const { page, context } = await open({ width: 390, height: 844 });
  await waitForItem(page, byId('login.title'), 'login screen');
  await waitUntil(page, () => window.mizu.dataFontLoaded() && window.mizu.inputPending() === 0, 'a settled screen');
  await tabTo(page, 'login.submit');
  const login = await controlContrasts(page);
  await tap(page, 'login.applications');
  await waitForItem(page, byId('applications.kind.move_out'), 'the radios');
  await waitUntil(page, () => window.mizu.inputPending() === 0, 'a settled screen');
  const radios = await controlContrasts(page);
  const all = [...login, ...radios];
  for (const kind of ['border', 'box', 'focus ring'])
    assert.ok(all.some((c) => c.kind === kind), `${kind} measured: ${JSON.stringify(all)}`);
  assert.ok(all.filter((c) => c.kind === 'box').length >= 3, 'check box and both radios');
  for (const c of all) assert.ok(c.ratio >= 3, `${c.id} ${c.kind}: ${c.ratio.toFixed(2)}:1`);
  await context.close();
});

test('the move-in date: typed as 令和8年12月1日 it is read back as a date; the calendar offers only business days and is used by keys', async () => {
  const { page, context, errors } = await open();
  await waitForItem(page, byId('login.title'), 'login screen');
  await tap(page, 'login.applications');
  await waitForItem(page, byId('applications.desired_date'), 'the date field');
  // WCAG 1.3.5: the applicant's own fields say what they are, so the browser can fill them.
  const tokens = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#mizu-semantics input[data-mizu-id^="applications."]')]
    .map((el) => [el.dataset.mizuId, el.autocomplete])));
  assert.deepEqual({ postal: tokens['applications.postal_code'], address: tokens['applications.address'], name: tokens['applications.name'],
    kana: tokens['applications.name_kana'], phone: tokens['applications.phone'], email: tokens['applications.email'] },
  { postal: 'postal-code', address: 'street-address', name: 'name', kana: 'off', phone: 'tel', email: 'email' });
  await tabTo(page, 'applications.desired_date', 60);
  await page.keyboard.insertText('令和8年12月1日');
  // 2026-12-01 is a Tuesday (2026-11-30 was a Monday).
  assert.equal((await waitForItem(page, byId('applications.desired_date.parsed'), 'the date it means')).label, '2026年12月1日（火）');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await waitUntil(page, () => !window.mizu.items().some((i) => i.id === 'applications.desired_date.parsed'), 'no date for an empty field');

  await tabTo(page, 'applications.desired_date.calendar');
  await page.keyboard.press('Enter');
  await waitForItem(page, byId('applications.desired_date.calendar.month'), 'the calendar');
  const days = async () => (await page.evaluate(() => window.mizu.items())).filter((i) => /calendar\.day\.\d+$/.test(i.id));
  let month = await days();
  if (!month.some((d) => d.enabled)) {  // the window starts on the month's last day, a closed one
    await tabTo(page, 'applications.desired_date.calendar.next');
    await page.keyboard.press('Enter');
    await waitUntil(page, () => window.mizu.items().some((i) => /calendar\.day\.\d+$/.test(i.id) && i.enabled), 'next month');
    month = await days();
  }
  assert.ok(month.length >= 28 && month.length <= 31, `${month.length} days`);
  // Saturdays and Sundays are never offered; every offered day is a weekday.
  for (const d of month) {
    if (/（[土日]）/.test(d.label)) assert.equal(d.enabled, false, `${d.label} offered`);
    if (d.enabled) assert.match(d.label, /（[月火水木金]）$/);
  }
  // The days are one Tab stop (WAI-ARIA APG roving tabindex): Tab enters at the first day offered (none is
  // chosen yet), the arrow keys move by a day and by a week (disabled days too: read out as unavailable), an
  // arrow at the grid's edge stays, and Tab leaves the days; coming back, Tab enters at that first day again.
  const chosen = month.find((d) => d.enabled);
  await tabTo(page, chosen.id, 60);
  const tabStops = () => page.evaluate(() => [...document.querySelectorAll('[data-mizu-id*=".calendar.day."]')]
    .filter((el) => el.tabIndex >= 0).map((el) => el.dataset.mizuId));
  assert.deepEqual(await tabStops(), [chosen.id]);
  const n = Number(chosen.id.match(/\.day\.(\d+)$/)[1]);
  const dayId = (k) => chosen.id.replace(/\d+$/, String(k));
  assert.ok(n <= 7 && n + 8 <= month.length, `the first day offered is the ${n}th`);
  const settledY = async () => { await settled(page); return scrolled(); };
  const scrolled = () => page.evaluate(() => window.mizu.items().find((i) => i.id === 'applications.desired_date.calendar.month').rect.y);
  for (const [key, want, edge] of [['ArrowRight', n + 1], ['ArrowDown', n + 8], ['ArrowLeft', n + 7], ['ArrowUp', n],
    ['ArrowUp', n, 'edge'], ['ArrowRight', n + 1]]) {
    const y = edge ? await settledY() : 0;
    await page.keyboard.press(key);
    assert.equal(await focusedId(page), dayId(want), `${key} → the ${want}th`);
    assert.deepEqual(await tabStops(), [dayId(want)], 'the focused day is the only Tab stop');
    // At the edge nothing moves: not focus, and not the page (the arrow is the grid's, not a page scroll).
    if (edge) assert.equal(await settledY(), y, 'the page did not scroll');
  }
  await page.keyboard.press('Tab');
  assert.doesNotMatch(String(await focusedId(page)), /\.calendar\.day\./, 'Tab leaves the days');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focusedId(page), chosen.id, 'Shift+Tab comes back at the first day offered');
  await page.keyboard.press('Enter');
  const ymd = chosen.label.replace(/（.）$/, '');
  await waitForItem(page, (i) => i.id === 'applications.desired_date' && i.value === ymd, `the field holds ${ymd}`);
  await waitUntil(page, () => !window.mizu.items().some((i) => i.id === 'applications.desired_date.calendar.month'), 'the calendar closed');
  // Esc closes it too.
  await tabTo(page, 'applications.desired_date.calendar');
  await page.keyboard.press('Enter');
  await waitForItem(page, byId('applications.desired_date.calendar.month'), 'the calendar again');
  assert.equal(await page.evaluate(() => document.querySelector('[data-mizu-id="applications.desired_date.calendar"]').getAttribute('aria-expanded')), 'true');
  // The chosen day says so in its name, and only there: not read out as a toggle, no state words appended.
  const chosenDay = await page.evaluate((id) => {
    const el = document.querySelector(`[data-mizu-id="${id}"]`);
    return { text: el.textContent, pressed: el.getAttribute('aria-pressed') };
  }, chosen.id);
  assert.equal(chosenDay.text, `${chosen.label}（選択中）`);
  assert.equal(chosenDay.pressed, null);
  assert.deepEqual(await tabStops(), [chosen.id], 'Tab enters the days at the chosen one');
  // The weekday heads: one text across the seven columns of days.
  const grid = (await page.evaluate(() => window.mizu.items())).filter((i) => /calendar\.(weekdays|day\.\d+)$/.test(i.id));
  const heads = grid.find((i) => i.id.endsWith('.weekdays'));
  assert.equal(heads.label, '日 月 火 水 木 金 土');
  const right = Math.max(...grid.filter((i) => i !== heads).map((i) => i.rect.x + i.rect.w));
  assert.ok(Math.abs(heads.rect.x + heads.rect.w - right) <= 1, `heads end at ${heads.rect.x + heads.rect.w}, days at ${right}`);
  await page.keyboard.press('Escape');
  await waitUntil(page, () => !window.mizu.items().some((i) => i.id === 'applications.desired_date.calendar.month'), 'closed by Esc');

  // The chosen day is accepted by the server.
  await typeInto(page, 'applications.address', '水守市本町9丁目9番9号', { ime: true });
  await typeInto(page, 'applications.name', '水野 清', { ime: true });
  await typeInto(page, 'applications.name_kana', 'ミズノ キヨシ', { ime: true });
  await typeInto(page, 'applications.phone', '090-2222-3333');
  await typeInto(page, 'applications.email', 'kiyoshi@example.jp');
  await tap(page, 'applications.submit');
  assert.match((await waitForItem(page, byId('applications.reference'), 'the reference', 20000)).value, /^MI-\d{8}-\d{6}$/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('two calendars open (異変のお知らせ): Esc closes the one focus is in, and its days stay one Tab stop while the month changes under a focused day', async () => {
  const { page, context, errors } = await open();
  await signInWithKeys(page);
  await page.evaluate(() => { window.location.hash = '#/watch'; });
  await tap(page, 'watch.to_alerts');
  await waitForItem(page, byId('alerts.away_from'), 'the alerts settings', 20000);
  const isOpen = (p) => page.evaluate((p) => window.mizu.items().some((i) => i.id === p + '.calendar.month'), p);
  const stops = (p) => page.evaluate((p) => [...document.querySelectorAll(`[data-mizu-id^="${p}.calendar.day."]`)]
    .filter((el) => el.tabIndex >= 0).map((el) => el.dataset.mizuId), p);
  for (const p of ['alerts.away_from', 'alerts.away_to']) {
    await tabTo(page, p + '.calendar', 120);
    await page.keyboard.press('Enter');
    await waitForItem(page, byId(p + '.calendar.month'), `${p}'s calendar`);
  }
  // Focus on a day of the first (the one drawn above): Esc closes that calendar, not the one opened last.
  const [first] = await stops('alerts.away_from');
  await tabTo(page, first, 120);
  await page.keyboard.press('Escape');
  await waitUntil(page, () => !window.mizu.items().some((i) => i.id === 'alerts.away_from.calendar.month'), 'the first calendar closed');
  assert.equal(await isOpen('alerts.away_to'), true, 'the other calendar stays open');

  // A month change that leaves focus on a day (an assistive technology's press of 次の月 does not move focus;
  // here el.click()): the focused day stays the only Tab stop, also when the new month brings days the last
  // one had not (twins created tabbable).
  const p = 'alerts.away_to';
  const [stop] = await stops(p);
  await tabTo(page, stop, 120);
  let day = Number(stop.match(/(\d+)$/)[1]);
  while (day + 7 <= 28) { await page.keyboard.press('ArrowDown'); day += 7; }
  const focused = `${p}.calendar.day.${day}`;
  assert.equal(await focusedId(page), focused);
  const dayCount = () => page.evaluate((p) => window.mizu.items().filter((i) => i.id.startsWith(p + '.calendar.day.')).length, p);
  let grew = false;
  for (let k = 0; k < 12 && !grew; ++k) {
    const month = (await waitForItem(page, byId(p + '.calendar.month'), 'the month')).label;
    const before = await dayCount();
    await page.evaluate((id) => document.querySelector(`[data-mizu-id="${id}"]`).click(), p + '.calendar.next');
    await waitUntil(page, (args) => window.mizu.items().find((i) => i.id === args[0] + '.calendar.month')?.label !== args[1], 'the next month', [p, month]);
    await settled(page);
    grew = (await dayCount()) > before;
    assert.equal(await focusedId(page), focused, 'focus stayed on the day');
    assert.deepEqual(await stops(p), [focused], `one Tab stop after ${month}`);
  }
  assert.ok(grew, 'a month with more days than the one before came');
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard focus is never off-screen: Tab scrolls to the item, PageDown/End scroll, Enter submits, a step change keeps focus', async () => {
  const { page, context } = await open({ width: 1024, height: 560 });
  await waitForItem(page, byId('login.title'), 'login screen');
  await tabTo(page, 'login.email');
  await page.keyboard.type(EMAIL);
  await tabTo(page, 'login.password');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');  // the screen's default button (ログイン)
  await waitForItem(page, byId('top.notice.1'), 'トップ with its notices', 20000);
  // The second notice is drawn below the 560 px window; Tab to it brings it into view.
  const below = await waitForItem(page, byId('top.notice.1'), 'the notice');
  assert.ok(below.rect.y + below.rect.h > 560, `drawn at ${below.rect.y} (the test needs it below the fold)`);
  await tabTo(page, 'top.notice.1', 60);
  await waitForItem(page, (i) => i.id === 'top.notice.1' && i.rect.y >= 0 && i.rect.y + i.rect.h <= 560, 'the focused notice in view');
  // Home and End scroll the content (focus on a button, not in a field).
  await page.keyboard.press('Home');
  await waitForItem(page, (i) => i.id === 'top.title' && i.rect.y > 0, 'the top after Home');
  const top = (await waitForItem(page, byId('top.title'), 'title')).rect.y;
  await page.keyboard.press('End');
  await waitForItem(page, (i) => i.id === 'top.title' && i.rect.y < top, 'scrolled down by End');

  // A step change (見守り登録's 確認) takes focus to the new step, never to <body>.
  await page.evaluate(() => { location.hash = '#/watch'; });
  await waitForItem(page, byId('watch.recipient.0.email'), 'the watch form', 20000);
  await tabTo(page, 'watch.confirm', 60);
  await page.keyboard.press('Enter');
  await waitForItem(page, byId('watch.register'), 'the confirmation step', 20000);
  await waitUntil(page, () => document.activeElement !== document.body && document.getElementById('mizu-semantics').contains(document.activeElement),
    'focus inside the app after the step changed');
  await context.close();
});
