// The resident's whole journey in real Chromium at phone size (360×640), through the semantic registry with
// real keyboard and pointer events: sign-up with the code from the delivered mail → login → 契約の追加 (the kana
// typed through the IME path) → ご利用実績 after the contracts become visible (the session expired meanwhile:
// login returns to the same screen) → 見守り登録 (a utility whose report delay is 45 minutes: the form and the
// mail say so) with the overlap error, 戻る keeping the input, then success → 解除 → language switch → the
// browser's back button → reload. Screenshots of each screen go to outDir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  suite, openApp, waitForItem, waitUntil, waitForMail, tap, typeInto, choose, reveal, outDir,
} from './harness.mjs';

const EMAIL = 'taro.yamada@example.jp';
const PASSWORD = 'kawa-no-nagare-2026';
const RECIPIENT = 'musuko@example.net';

// Two customers of the demo base, re-imported with known kana and phones (the import updates rows).
function prepare(binary, data) {
  const csv = 'customer_number,holder_name,holder_kana,address,bureau_phone,meter_id,smart_meter,diameter_mm,status\n' +
    '00000008010,山田 太郎,ヤマダ タロウ,水守市本町1丁目2番3号,0467-15-1005,M100005,1,13,active\n' +
    '00000008014,山田 次郎,ヤマダ ジロウ,水守市桜台4丁目5番6号,0467-17-1007,M100007,1,13,active\n';
  const file = join(data, 'journey-customers.csv');
  writeFileSync(file, csv);
  const r = spawnSync(binary, ['import', 'customers', file, '--data', data], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('import failed: ' + r.stdout + r.stderr);
}

// A utility whose watch mails go out 45 minutes after a window (not the default 30): the form must say so.
const env = suite({ demo: true, prepare, config: { watch: { report_delay_minutes: 45 } } });

const byId = (id) => (i) => i.id === id;
const shot = (page, name) => page.screenshot({ path: join(outDir, `journey-${name}.png`) });

async function heading(page, id, label) {
  return waitForItem(page, (i) => i.id === id && (label === undefined || i.label === label), `${id} ${label ?? ''}`, 20000);
}

async function login(page) {
  await typeInto(page, 'login.email', EMAIL, { clear: true });
  await typeInto(page, 'login.password', PASSWORD);
  await tap(page, 'login.submit');
}

test('sign-up → login → add a contract → usage → watch → cancel → language → back → reload', async () => {
  const { page, context, errors } = await openApp(env.browser, env.server.url, { viewport: { width: 360, height: 640 } });

  // Not logged in: the login screen, with the way to sign up.
  await heading(page, 'login.title', 'ログイン');
  await shot(page, 'login');
  await tap(page, 'login.signup');
  await heading(page, 'signup.title', '新規会員登録');
  assert.equal(await page.evaluate(() => location.hash), '#/signup');

  // Step 1: the address; the code arrives by mail.
  const started = Date.now();
  await typeInto(page, 'signup.email', EMAIL);
  await tap(page, 'signup.send_code');
  await waitForItem(page, byId('signup.code'), 'the code field', 20000);
  const mail = await waitForMail(env.server.data, EMAIL, { after: started - 1000 });
  const code = mail.match(/\b(\d{6})\b/)[1];
  await shot(page, 'signup-code');
  // Step 2: the code (typed full-width, as a phone IME might give it).
  const fullWidth = [...code].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xFEE0)).join('');
  await typeInto(page, 'signup.code', fullWidth, { ime: true });
  await tap(page, 'signup.verify');
  // Step 3: details. A wrong bureau phone first: the server says the pair does not match.
  await typeInto(page, 'signup.password', PASSWORD);
  await typeInto(page, 'signup.customer_number', '０－００００００８０１０', { ime: true });
  await typeInto(page, 'signup.bureau_phone', '0467-15-9999');
  await typeInto(page, 'signup.applicant_phone', '090-1234-5678');
  await tap(page, 'signup.agree');
  await tap(page, 'signup.complete');
  await waitForItem(page, (i) => i.id === 'signup.customer_number' && i.value === '00000008010',
    'the customer number shown normalised');
  await waitForItem(page, (i) => i.id === 'signup.error' || (i.id === 'signup.customer_number' && i.error),
    'identity mismatch', 20000);
  await typeInto(page, 'signup.bureau_phone', '0467-15-1005', { clear: true });
  await shot(page, 'signup-details');
  await tap(page, 'signup.complete');
  await heading(page, 'signup.done');
  const visible = await waitForItem(page, byId('signup.visible_from'), 'when usage becomes visible');
  assert.match(visible.label, /\d{4}年\d{1,2}月\d{1,2}日（[月火水木金]）9:00 以降/);
  await shot(page, 'signup-done');

  // Log out and log in again with the new account.
  await tap(page, 'signup.to_top');
  await heading(page, 'top.title', 'トップ');
  await tap(page, 'menu.open');
  await tap(page, 'menu.logout');
  await heading(page, 'login.title');
  await login(page);
  await heading(page, 'top.title', 'トップ');
  const first = await waitForItem(page, byId('top.contract.0.number'), 'the new contract');
  assert.match(first.label, /0-0000008010（優先表示）/);
  await shot(page, 'top');

  // 契約の追加: a family member's contract; the kana typed in hiragana through the IME path.
  await tap(page, 'menu.open');
  await tap(page, 'menu.contracts');
  await heading(page, 'contracts.title');
  await tap(page, 'contracts.add');
  await typeInto(page, 'contract_add.customer_number', '0-0000008014');
  await typeInto(page, 'contract_add.bureau_phone', '0467-17-1007');
  await typeInto(page, 'contract_add.name_kana', 'やまだ　じろう', { ime: true });
  await waitForItem(page, (i) => i.id === 'contract_add.name_kana' && i.value === 'やまだ　じろう', 'the IME text');
  await tap(page, 'contract_add.relationship.family');
  await tap(page, 'contract_add.submit');
  // Without consent the form refuses, at the consent checkbox.
  const consent = await waitForItem(page, byId('contract_add.consent_error'), 'consent required');
  assert.equal(consent.label, '同意を得ていない場合は申し込みを行うことができません。');
  await tap(page, 'contract_add.consent');
  await shot(page, 'contract-add');
  await tap(page, 'contract_add.submit');
  await waitForItem(page, (i) => i.id === 'contracts.done' && i.label === '契約を追加しました。', 'added', 20000);
  const second = await waitForItem(page, byId('contracts.1.number'), 'the second contract');
  assert.match(second.label, /0-0000008014/);
  await shot(page, 'contracts');

  // The contracts become visible on the next business day at 9:00: move the server's clock there. The
  // session (30 minutes idle) has expired by then: the usage screen asks for the login and returns.
  const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
  const visibleFrom = me.contracts[0].visible_from;
  const later = new Date(Date.parse(visibleFrom) + 3600 * 1000).toISOString();
  const clock = await page.evaluate(async (now) => (await fetch('/api/v1/test/clock', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ now }),
  })).status, later);
  assert.equal(clock, 200);
  await tap(page, 'menu.open');
  await tap(page, 'menu.usage');
  const flash = await waitForItem(page, byId('app.flash'), 'the session-expired note', 20000);
  assert.match(flash.label, /ログアウトしました/);
  assert.equal(await page.evaluate(() => location.hash), '#/login');
  await login(page);
  await waitUntil(page, () => location.hash === '#/usage', 'back on the usage screen', undefined, 20000);
  const chart = await waitForItem(page, (i) => i.role === 'chart', 'the usage chart', 20000);
  assert.ok(chart.value.length > 0);
  await shot(page, 'usage');

  // 見守り登録: two overlapping windows (6:00 and 9:00, 6 hours each) are refused at the field.
  await tap(page, 'menu.open');
  await tap(page, 'menu.procedures');
  await tap(page, 'procedures.watch');
  await heading(page, 'watch.title', '見守り登録');
  const hour1 = await waitForItem(page, byId('watch.hour1'), 'the start time');
  assert.match(hour1.value, /^6:00〜12:00（12:45にメール）$/);
  const width = await waitForItem(page, byId('watch.width'), 'the window width');
  assert.match(width.label, /終了の45分後にメール/);
  await choose(page, 'watch.hour1', 6);
  await choose(page, 'watch.hour2', 1 + 9);
  await typeInto(page, 'watch.recipient.0.name', '山田 一郎', { ime: true });
  await typeInto(page, 'watch.recipient.0.email', RECIPIENT);
  await tap(page, 'watch.confirm');
  const overlap = await waitForItem(page, (i) => i.id === 'watch.hour2' && i.error, 'the overlap error');
  assert.equal(overlap.error, '見守り期間が重複しています');
  await shot(page, 'watch-overlap');
  // 12:00 only touches 6:00–12:00: accepted. 確認 → 戻る keeps the input → 確認 → 登録.
  await choose(page, 'watch.hour2', 1 + 12);
  await tap(page, 'watch.confirm');
  const hours = await waitForItem(page, byId('watch.confirm.hours'), 'the confirmation screen');
  assert.match(hours.value, /6:00〜12:00（12:45にメール）/);
  assert.match(hours.value, /12:00〜18:00（18:45にメール）/);
  await shot(page, 'watch-confirm');
  await tap(page, 'watch.back');
  await waitForItem(page, (i) => i.id === 'watch.recipient.0.email' && i.value === RECIPIENT, 'the input kept');
  await tap(page, 'watch.confirm');
  const registeredAt = Date.now();
  await tap(page, 'watch.register');
  await waitForItem(page, byId('watch.done'), 'registered', 20000);
  const added = await waitForMail(env.server.data, RECIPIENT, { after: registeredAt - 1000 });
  assert.match(added, /0-0000008010/);
  assert.match(added, /6:00〜12:00（12:45ごろお知らせ）/);
  await shot(page, 'watch-done');

  // 解除: 「現在の見守り設定を解除する」 → 「現在の見守り設定を解除いたします」 → はい.
  await tap(page, 'watch.again');
  await tap(page, 'watch.cancel');
  const confirm = await waitForItem(page, byId('watch.cancel_confirm'), 'the cancel confirmation');
  assert.equal(confirm.label, '現在の見守り設定を解除いたします。よろしいですか。');
  await tap(page, 'watch.cancel_yes');
  await waitForItem(page, byId('watch.cancelled'), 'cancelled', 20000);
  const watch = await page.evaluate(async () => (await fetch('/api/v1/contracts/00000008010/watch')).json());
  assert.equal(watch.active, false);

  // Language switch at any time: the same screen in English.
  await tap(page, 'lang.switch');
  await heading(page, 'watch.title', 'Water watch');
  await shot(page, 'watch-en');

  // The browser's back button returns to 各種お手続き; forward comes back; a reload stays there.
  await page.goBack();
  await heading(page, 'procedures.title', 'Procedures');
  assert.equal(await page.evaluate(() => location.hash), '#/procedures');
  await page.goForward();
  await heading(page, 'watch.title', 'Water watch');
  await page.reload();
  await page.waitForFunction(() => window.mizu && window.mizu.ready(), null, { timeout: 60000 });
  await heading(page, 'watch.title', 'Water watch');  // same screen, still logged in, still English

  // Expected console noise: the failed identity check (400) and the expired session (401).
  assert.deepEqual(errors.filter((e) => !/40[01]/.test(e)), []);
  await context.close();
});
