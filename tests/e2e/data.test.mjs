// The data screens against the demo database: ご利用実績 (12 periods equal to the API's bills, hover shows a
// bar's values, the hourly chart reports the demo's missing hours as missing — never 0 —, the daily chart),
// お支払い実績, お知らせ (reading one lowers the unread count), 通知受信設定 (a change survives a reload),
// 料金シミュレーション (the browser's total equals the server's bill for the same diameter and volume) and the
// usage chart on a 360×640 phone, tapped with a finger. Screenshots of each screen go to outDir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { HEADER_IDS, suite, openApp, items, waitForItem, waitUntil, click, outDir } from './harness.mjs';

const CN = '00000008002';  // the demo resident's contract (13 mm, smart meter)
let page;
let context;
let errors;

async function type(p, id, text) {
  await click(p, await waitForItem(p, (i) => i.id === id, id));
  await waitUntil(p, () => window.mizu.editing() !== null,
    'the text bridge to take focus');
  await p.keyboard.type(text);
  await waitForItem(p, (i) => i.id === id && (i.role === 'password' || i.value === text), `${id} = ${text}`);
}

async function login(p) {
  await type(p, 'login.email', 'demo@mizumori.example');
  await type(p, 'login.password', 'mizumori-demo-2026');
  await click(p, await waitForItem(p, (i) => i.id === 'login.submit' && i.enabled, 'submit'));
  await waitForItem(p, (i) => i.id === 'top.title', 'the top screen', 20000);
}

async function openFromMenu(p, id) {
  await click(p, await waitForItem(p, (i) => i.id === 'menu.open', 'the menu button'));
  await click(p, await waitForItem(p, (i) => i.id === id, id));
}

async function api(p, path, init = {}) {
  return p.evaluate(async ([path, init]) => {
    const r = await fetch(path, init);
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null };
  }, [path, init]);
}

// The bars of a chart, in index order.
async function bars(p, chart) {
  const prefix = `${chart}.bar.`;
  return (await items(p)).filter((i) => i.id.startsWith(prefix))
    .sort((a, b) => Number(a.id.slice(prefix.length)) - Number(b.id.slice(prefix.length)));
}

async function hover(p, item) {
  await p.mouse.move(item.rect.x + item.rect.w / 2, item.rect.y + item.rect.h / 2);
}

const yen = (n) => n.toLocaleString('en-US');
const screenshot = (p, name) => p.screenshot({ path: join(outDir, name), fullPage: true });

const env = suite({ demo: true, pinClock: true }, {  // pinClock: the demo's gap stays "yesterday"
  async setUp({ server, browser }) {
    ({ page, context, errors } = await openApp(browser, server.url, { viewport: { width: 1024, height: 900 } }));
    await login(page);
    await waitUntil(page, () => window.mizu.dataFontLoaded(), 'the JIS font for data text');
  },
  async tearDown() {
    await context?.close();
  },
});

test('ご利用実績: 12 periods equal to the API, hover shows the values', async () => {
  await openFromMenu(page, 'menu.usage');
  const chart = await waitForItem(page, (i) => i.id === 'usage.chart' && i.role === 'chart', 'the period chart', 20000);
  assert.match(chart.value, /^12 bars; max \d+ m³; missing 0$/);
  const { status, json } = await api(page, `/api/v1/contracts/${CN}/bills`);
  assert.equal(status, 200);
  const oldestFirst = json.bills.slice().reverse();
  const list = await bars(page, 'usage.chart');
  assert.equal(list.length, 12);
  assert.deepEqual(list.map((b) => b.value), oldestFirst.map((b) => String(b.usage_m3)));
  assert.ok(list.every((b) => b.role === 'bar' && b.rect.h > 50));
  // Left to right, oldest first.
  for (let i = 1; i < list.length; ++i) assert.ok(list[i].rect.x > list[i - 1].rect.x);

  const newest = oldestFirst[11], yearBefore = oldestFirst[5];
  await hover(page, list[11]);
  const detail = await waitForItem(page, (i) => i.id === 'usage.chart.detail' &&
    i.label.includes(`${yen(newest.usage_m3)} m³`) && i.label.includes(`${yen(newest.total)}円`),
  'the hovered bar\'s values');
  assert.ok(detail.label.includes('前年同期'), detail.label);
  assert.ok(detail.label.includes(`${yen(yearBefore.usage_m3)} m³`), detail.label);
  // The table: one row per bill, newest first.
  const rows = (await items(page)).filter((i) => i.id.startsWith('usage.row.'));
  assert.equal(rows.length, 12);
  assert.equal(rows[0].value, `${newest.usage_m3} m3; ${newest.total} yen; ${newest.status}`);
  await screenshot(page, 'data-usage-periods.png');
});

test('ご利用実績 by hour: the demo\'s missing hours are missing, not 0; by day matches the API', async () => {
  await click(page, await waitForItem(page, (i) => i.id === 'usage.view.hourly', 'hourly view'));
  const today = await waitForItem(page, (i) => i.id === 'usage.day', 'the day shown');
  await waitUntil(page, () => window.mizu.items().filter((i) => i.id.startsWith('usage.hourly.bar.')).length === 24,
    '24 hourly bars');
  // The demo's gap is yesterday evening (the server's clock is pinned to when the demo was made): one day back.
  await click(page, await waitForItem(page, (i) => i.id === 'usage.prev_day', 'previous day'));
  await waitForItem(page, (i) => i.id === 'usage.day' && i.label !== today.label, 'yesterday');
  await waitUntil(page, () => window.mizu.items().some((i) => i.id.startsWith('usage.hourly.bar.') &&
    i.value === 'missing'), 'a missing hour');
  const now = await api(page, `/api/v1/contracts/${CN}/usage?step=hour`);
  const from = new Date(Date.parse(now.json.from) - 86400000).toISOString().replace('.000', '');
  const to = new Date(Date.parse(now.json.from)).toISOString().replace('.000', '');
  const day = await api(page, `/api/v1/contracts/${CN}/usage?step=hour&from=${from}&to=${to}`);
  assert.equal(day.status, 200);
  assert.ok(day.json.hours_missing > 0, 'the demo data has a gap yesterday');
  const hourly = await bars(page, 'usage.hourly');
  assert.equal(hourly.length, 24);
  assert.deepEqual(hourly.map((b) => b.value),
    day.json.items.map((h) => (h.volume_l === null ? 'missing' : String(h.volume_l))));
  const missing = hourly.find((b) => b.value === 'missing');
  await hover(page, missing);
  const detail = await waitForItem(page, (i) => i.id === 'usage.hourly.detail' && i.label.includes('データなし'),
    'データなし for the missing hour');
  assert.ok(!/\b0 L/.test(detail.label), detail.label);
  const chart = (await items(page)).find((i) => i.id === 'usage.hourly');
  assert.match(chart.value, new RegExp(`missing ${day.json.hours_missing}$`));
  // The chart is also a <table> for screen readers: one row per hour, 「データなし」 where the API has null.
  await waitUntil(page, () => document.querySelectorAll('table[data-mizu-id="usage.hourly.table"] tbody tr').length === 24,
    'the chart\'s table twin');
  const cells = await page.evaluate(() => [...document.querySelectorAll('table[data-mizu-id="usage.hourly.table"] tbody tr')]
    .map((tr) => tr.cells[1].textContent));
  assert.deepEqual(cells, day.json.items.map((h) => (h.volume_l === null ? 'データなし' : `${h.volume_l.toLocaleString('en-US')} L`)));
  await screenshot(page, 'data-usage-hourly.png');

  await click(page, await waitForItem(page, (i) => i.id === 'usage.view.daily', 'daily view'));
  await waitUntil(page, () => window.mizu.items().some((i) => i.id === 'usage.daily'), 'the daily chart');
  const daily = await api(page, `/api/v1/contracts/${CN}/usage?step=day`);
  assert.deepEqual((await bars(page, 'usage.daily')).map((b) => b.value),
    daily.json.items.map((d) => (d.volume_l === null ? 'missing' : String(d.volume_l))));
  await screenshot(page, 'data-usage-daily.png');
  await click(page, await waitForItem(page, (i) => i.id === 'usage.view.periods', 'period view'));
});

test('お支払い実績 lists the API\'s payments; 料金のお支払い shows the methods', async () => {
  await openFromMenu(page, 'menu.payments');
  const { json } = await api(page, `/api/v1/contracts/${CN}/payments`);
  assert.ok(json.payments.length > 0);
  await waitUntil(page, (n) => window.mizu.items().filter((i) => i.id.startsWith('payments.row.')).length === n,
    'one row per payment', json.payments.length);
  const first = (await items(page)).find((i) => i.id === 'payments.row.0');
  assert.equal(first.label, json.payments[0].paid_on);
  await screenshot(page, 'data-payments.png');

  await openFromMenu(page, 'menu.pay');
  await waitForItem(page, (i) => i.id === 'pay.about.direct_debit', 'the payment methods');
  const bills = (await api(page, `/api/v1/contracts/${CN}/bills`)).json.bills;
  const unpaid = bills.filter((b) => b.status !== 'paid');
  if (unpaid.length) {
    const amount = await waitForItem(page, (i) => i.id === 'pay.bill.0.amount', 'the amount to pay');
    assert.equal(amount.value, `${yen(unpaid[0].total - unpaid[0].paid)}円`);
  } else {
    await waitForItem(page, (i) => i.id === 'pay.none', 'no unpaid bills');
  }
  await screenshot(page, 'data-pay.png');
});

test('お知らせ: opening an unread notice marks it read and the count drops', async () => {
  await openFromMenu(page, 'menu.notices');
  const before = (await api(page, `/api/v1/contracts/${CN}/notices`)).json;
  assert.ok(before.unread > 0, 'the demo has unread notices');
  await waitForItem(page, (i) => i.id === 'notices.unread' && i.label === `未読 ${before.unread}件`, 'the unread count');
  const row = await waitForItem(page, (i) => i.id.startsWith('notices.item.') && i.label.startsWith('● '),
    'an unread notice');
  await click(page, row);
  const body = await waitForItem(page, (i) => i.id === `${row.id}.body`, 'the notice body');
  assert.ok(body.label.length > 0);
  await waitForItem(page, (i) => i.id === 'notices.unread' && i.label === `未読 ${before.unread - 1}件`,
    'one unread less');
  await waitForItem(page, (i) => i.id === row.id && !i.label.startsWith('● '), 'the mark gone');
  let after;
  for (let k = 0; k < 50; ++k) {
    after = (await api(page, `/api/v1/contracts/${CN}/notices`)).json;
    if (after.unread === before.unread - 1) break;
    await page.waitForTimeout(100);
  }
  assert.equal(after.unread, before.unread - 1);
  await screenshot(page, 'data-notices.png');
});

test('通知受信設定: a change is saved and survives a reload', async () => {
  await openFromMenu(page, 'menu.notification_settings');
  const box = await waitForItem(page, (i) => i.id === 'nsettings.payment', 'the payment checkbox');
  const wanted = box.value === 'true' ? 'false' : 'true';
  await click(page, box);
  await waitForItem(page, (i) => i.id === 'nsettings.payment' && i.value === wanted, 'toggled');
  await click(page, await waitForItem(page, (i) => i.id === 'nsettings.lang.en', 'English mails'));
  await click(page, await waitForItem(page, (i) => i.id === 'nsettings.save' && i.enabled, 'save'));
  await waitForItem(page, (i) => i.id === 'nsettings.saved', 'saved');
  await screenshot(page, 'data-notification-settings.png');
  const saved = (await api(page, '/api/v1/me/notification-settings')).json;
  assert.equal(String(saved.email.payment), wanted);
  assert.equal(saved.lang, 'en');

  await page.reload();
  await page.waitForFunction(() => window.mizu && window.mizu.ready(), null, { timeout: 60000 });
  await waitForItem(page, (i) => i.id === 'nsettings.payment' && i.value === wanted, 'the saved value after reload',
    20000);
  await waitForItem(page, (i) => i.id === 'nsettings.lang.en' && i.value === 'true', 'English after reload');
});

test('料金シミュレーション: the browser computes the server\'s bill', async () => {
  await openFromMenu(page, 'menu.simulation');
  const diameter = await waitForItem(page, (i) => i.id === 'sim.diameter', 'the diameter select', 20000);
  assert.equal(diameter.value, '13 mm');
  // Full-width digits through the IME path: shown normalised once the field is left.
  await click(page, await waitForItem(page, (i) => i.id === 'sim.volume', 'the volume field'));
  await waitUntil(page, () => window.mizu.editing() !== null,
    'the text bridge to take focus');
  for (let k = 0; k < 4; ++k) await page.keyboard.press('Backspace');
  await page.keyboard.insertText('４１');
  await waitForItem(page, (i) => i.id === 'sim.volume' && i.value === '４１', 'full-width volume');
  // docs/tariff.md's worked example: 13 mm, 41 m³ → 9,894 yen.
  await waitForItem(page, (i) => i.id === 'sim.total' && i.value === '9894', 'the worked example total');
  await click(page, await waitForItem(page, (i) => i.id === 'sim.title', 'the title'));  // leave the field
  await waitForItem(page, (i) => i.id === 'sim.volume' && i.value === '41', 'the volume shown normalised');

  // The newest demo bill of the 13 mm demo contract, computed by the server at import.
  const bill = (await api(page, `/api/v1/contracts/${CN}/bills`)).json.bills[0];
  await click(page, await waitForItem(page, (i) => i.id === 'sim.volume', 'the volume field'));
  await waitUntil(page, () => window.mizu.editing() !== null,
    'the text bridge to take focus');
  for (let k = 0; k < 4; ++k) await page.keyboard.press('Backspace');
  await page.keyboard.type(String(bill.usage_m3));
  const total = await waitForItem(page, (i) => i.id === 'sim.total' && i.value === String(bill.total),
    `the bill's total ${bill.total} for ${bill.usage_m3} m³`);
  assert.equal(total.value, String(bill.total));
  const water = (await items(page)).find((i) => i.id === 'sim.water');
  assert.equal(water.value, `${yen(bill.water_charge)}円`);
  const tax = (await items(page)).find((i) => i.id === 'sim.tax');
  assert.equal(tax.value, `${yen(bill.tax)}円`);
  await screenshot(page, 'data-simulation.png');
  assert.deepEqual(errors, []);  // logged in all along: not even a 401 (docs/web.md)
});

test('ご利用実績 on a 360×640 phone: fits, and a tap shows a bar\'s values', async () => {
  const phone = await openApp(env.browser, env.server.url, { viewport: { width: 360, height: 640 }, hasTouch: true });
  const p = phone.page;
  await login(p);
  await openFromMenu(p, 'menu.usage');
  await waitForItem(p, (i) => i.id === 'usage.chart', 'the period chart', 20000);
  await p.waitForTimeout(300);  // the frame after the data arrived may add the scrollbar (a narrower column)
  // Everything inside the content column (the full-width contract select spans it), read from ONE frame.
  const snapshot = await items(p);
  const chart = snapshot.find((i) => i.id === 'usage.chart');
  const column = snapshot.find((i) => i.id === 'contract.select').rect;
  const right = column.x + column.w + 1;
  assert.ok(right <= 360 + 1);
  assert.ok(chart.rect.x >= column.x - 1 && chart.rect.x + chart.rect.w <= right, JSON.stringify(chart.rect));
  const fits = async () => {
    // The header spans the whole column (no scrollbar beside it); the screen's items stay left of the scrollbar.
    for (const item of await items(p))
      assert.ok(item.rect.x + item.rect.w <= (HEADER_IDS.has(item.id) ? 361 : right), JSON.stringify(item));
  };
  await fits();
  const list = await bars(p, 'usage.chart');
  assert.equal(list.length, 12);
  const bar = list[5];
  await p.touchscreen.tap(bar.rect.x + bar.rect.w / 2, bar.rect.y + bar.rect.h / 2);
  await waitForItem(p, (i) => i.id === 'usage.chart.detail' && i.label.includes(`${yen(Number(bar.value))} m³`),
    'the tapped bar\'s values');
  await p.waitForTimeout(200);
  await p.screenshot({ path: join(outDir, 'data-usage-phone.png') });
  await click(p, await waitForItem(p, (i) => i.id === 'usage.view.hourly', 'hourly view'));
  await waitUntil(p, () => window.mizu.items().filter((i) => i.id.startsWith('usage.hourly.bar.')).length === 24,
    '24 hourly bars');
  await fits();
  await p.screenshot({ path: join(outDir, 'data-usage-hourly-phone.png') });
  assert.deepEqual(phone.errors, []);  // a cold visit then a login: no 401 either (docs/web.md)
  await phone.context.close();
});
