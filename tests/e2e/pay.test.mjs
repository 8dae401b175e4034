// 料金のお支払い on a phone (issue 18): an unpaid bill paid by slip shows its convenience-store barcode drawn by
// the app; a screenshot of it on a 390×844 page at devicePixelRatio 3 (and on a 360×740 one at 1.5) is decoded
// by an independent reader (zbarimg, Debian zbar-tools) and must equal the bill's 44 digits from the API — in
// the list and in 全画面で表示 (the bars down the screen, larger) —, with the digits in two lines, the amount,
// the deadline and the Pay-easy numbers beside it; Esc closes the full screen and focus returns to its button.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, openApp, waitForItem, waitUntil, tap, typeInto, outDir } from './harness.mjs';

const CN = '00000008002';  // the demo resident's contract
const focusedId = (page) => page.evaluate(() => document.activeElement?.closest('[data-mizu-id]')?.dataset.mizuId ?? null);
const jstDate = (ms, days = 0) => new Date(ms + 9 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);

// A newer bill of the demo resident, paid by slip and not yet due (7,480 yen = 4,400 + 2,400 + 680).
function prepare(binary, data) {
  const now = Date.now();
  const csv = 'customer_number,reading_date,period_start,period_end,prev_reading,curr_reading,usage_m3,' +
    'water_charge,sewer_charge,tax,total,due_date,payment_method\n' +
    `${CN},${jstDate(now)},${jstDate(now, -60)},${jstDate(now)},90000,90030,30,4400,2400,680,7480,` +
    `${jstDate(now, 20)},納付書\n`;
  const file = join(data, 'pay-bills.csv');
  writeFileSync(file, csv);
  const r = spawnSync(binary, ['import', 'bills', file, '--data', data], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('import failed: ' + r.stdout + r.stderr);
}

const env = suite({
  demo: true,
  prepare,
  config: {
    payment: {
      company_code: '912345', payeasy_institution_number: '58091',
      payeasy_confirmation_key: 'e2e-confirmation-key-0123456789abcdef',
    },
  },
});

// zbarimg's reading of a PNG: the decoded data lines ("" when nothing is found).
function zbar(file) {
  const r = spawnSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8' });
  return r.stdout.trim();
}

async function shotOf(page, item, name) {
  const file = join(outDir, name);
  const margin = 8;
  await page.screenshot({
    path: file,
    clip: { x: Math.max(0, item.rect.x - margin), y: Math.max(0, item.rect.y - margin),
      width: item.rect.w + 2 * margin, height: item.rect.h + 2 * margin },
  });
  return file;
}

// A phone (touch) of that size and density, the demo resident logged in on 料金のお支払い, and the API's bills.
async function openPay(viewport, deviceScaleFactor) {
  const { page, errors } = await openApp(env.browser, env.server.url,
    { viewport, deviceScaleFactor, isMobile: true, hasTouch: true });
  await typeInto(page, 'login.email', 'demo@mizumori.example');
  await typeInto(page, 'login.password', 'mizumori-demo-2026');
  await tap(page, 'login.submit');
  await waitForItem(page, (i) => i.id === 'top.title', 'the top screen', 20000);
  await tap(page, 'menu.open');
  await tap(page, 'menu.pay');
  const bills = await page.evaluate(async (cn) => (await (await fetch(`/api/v1/contracts/${cn}/bills`)).json()).bills, CN);
  return { page, errors, bills };
}

test('料金のお支払い shows a barcode a scanner reads as the bill\'s 44 digits, on a phone and full screen', async () => {
  const { page, errors, bills } = await openPay({ width: 390, height: 844 }, 3);
  const bill = bills[0];
  assert.equal(bill.status, 'unpaid');
  const codes = bill.payment_codes;
  assert.equal(codes.unavailable, null);
  assert.match(codes.konbini.barcode, /^91912345[0-9]{36}$/);
  assert.equal(codes.amount, 7480);

  const barcode = await waitForItem(page, (i) => i.id === 'pay.bill.0.barcode', 'the barcode', 20000);
  assert.equal(barcode.role, 'chart');
  assert.ok(barcode.label.includes(codes.konbini.barcode), 'the screen reader hears the digits');
  for (const [i, line] of codes.konbini.human_readable.entries())
    await waitForItem(page, (it) => it.id === `pay.bill.0.digits.${i}` && it.label === line, `digits line ${i}`);
  await waitForItem(page, (i) => i.id === 'pay.bill.0.amount' && i.value === '7,480円', 'the amount');
  await waitForItem(page, (i) => i.id === 'pay.bill.0.payeasy.institution' && i.value === '58091', '収納機関番号');
  await waitForItem(page, (i) => i.id === 'pay.bill.0.payeasy.customer' && i.value === codes.payeasy.customer_number,
    'お客様番号 (Pay-easy)');
  await waitForItem(page, (i) => i.id === 'pay.bill.0.payeasy.confirmation' &&
    /^[0-9]{6}$/.test(i.value) && i.value === codes.payeasy.confirmation_number, '確認番号');

  // The bars as drawn on the phone's screen, read by an independent decoder.
  await page.evaluate((y) => window.scrollTo(0, y), 0);
  const onScreen = await waitForItem(page, (i) => i.id === 'pay.bill.0.barcode', 'the barcode');
  const decoded = zbar(await shotOf(page, onScreen, 'pay-barcode-phone.png'));
  assert.ok(decoded.includes(codes.konbini.barcode), `zbarimg read "${decoded}", want ${codes.konbini.barcode}`);

  // 全画面で表示: the bill's bars down the screen, each module larger than in the list; it reads the same.
  await tap(page, 'pay.bill.0.fullscreen');
  const full = await waitForItem(page, (i) => i.id === 'pay.fullscreen.barcode', 'the full-screen barcode');
  assert.ok(full.rect.h >= onScreen.rect.w * 1.9, `the symbol is longer (${full.rect.h} vs ${onScreen.rect.w} px)`);
  assert.ok(full.rect.y + full.rect.h <= 844, 'the whole symbol is on the screen');
  await waitForItem(page, (i) => i.id === 'pay.fullscreen.title' && i.label.includes('のご請求'), 'which bill');
  const decodedFull = zbar(await shotOf(page, full, 'pay-barcode-fullscreen.png'));
  assert.ok(decodedFull.includes(codes.konbini.barcode), `zbarimg read "${decodedFull}" full screen`);
  await page.screenshot({ path: join(outDir, 'pay-fullscreen.png') });
  // Esc closes it, and focus is back on the bill's 全画面で表示.
  await page.keyboard.press('Escape');
  await waitUntil(page, () => !window.mizu.items().some((i) => i.id === 'pay.fullscreen.barcode'), 'full screen closed');
  await waitForItem(page, (i) => i.id === 'pay.bill.0.barcode', 'the list again');
  await waitUntil(page, () => document.activeElement?.closest('[data-mizu-id]')?.dataset.mizuId === 'pay.bill.0.fullscreen',
    'focus back on 全画面で表示');
  // 閉じる by touch too.
  await tap(page, 'pay.bill.0.fullscreen');
  await waitForItem(page, (i) => i.id === 'pay.fullscreen.barcode', 'the full-screen barcode again');
  await tap(page, 'pay.fullscreen.close');
  await waitForItem(page, (i) => i.id === 'pay.bill.0.barcode', 'the list again');
  await page.screenshot({ path: join(outDir, 'pay-phone.png'), fullPage: true });
  assert.equal(await focusedId(page), 'pay.bill.0.fullscreen');
  assert.deepEqual(errors, []);
});

test('on a lower-density phone (360×740 at 1.5) the barcode fits the screen and reads, in the list and full screen', async () => {
  const { page, errors, bills } = await openPay({ width: 360, height: 740 }, 1.5);
  const code = bills[0].payment_codes.konbini.barcode;
  const bars = await waitForItem(page, (i) => i.id === 'pay.bill.0.barcode', 'the barcode', 20000);
  assert.ok(bars.rect.x >= 0 && bars.rect.x + bars.rect.w <= 360, `inside the screen: ${JSON.stringify(bars.rect)}`);
  assert.ok(zbar(await shotOf(page, bars, 'pay-barcode-lowdpr.png')).includes(code), 'the list barcode reads');
  await tap(page, 'pay.bill.0.fullscreen');
  const full = await waitForItem(page, (i) => i.id === 'pay.fullscreen.barcode', 'the full-screen barcode');
  assert.ok(full.rect.y + full.rect.h <= 740, 'the whole symbol is on the screen');
  assert.ok(zbar(await shotOf(page, full, 'pay-barcode-lowdpr-full.png')).includes(code), 'the full-screen barcode reads');
  assert.deepEqual(errors, []);
});
