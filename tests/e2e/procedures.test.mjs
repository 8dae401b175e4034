// The other procedures in real Chromium against the real server (demo data): a network failure shown with
// 再試行 and the progress mark, password reset with the mailed code, 会員情報の変更 (password), 退会 with its
// warning, and 使用開始 with a field error from the server then a reference number. Screenshots go to outDir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  suite, openApp, waitForItem, waitUntil, waitForMail, tap, typeInto, outDir,
} from './harness.mjs';

const env = suite({ demo: true });

const byId = (id) => (i) => i.id === id;
const shot = (page, name) => page.screenshot({ path: join(outDir, `procedures-${name}.png`) });

async function login(page, email, password) {
  await waitForItem(page, byId('login.title'), 'the login screen', 20000);
  await typeInto(page, 'login.email', email, { clear: true });
  await typeInto(page, 'login.password', password);
  await tap(page, 'login.submit');
  await waitForItem(page, byId('top.title'), 'the top screen', 20000);
}

// Japanese national holidays from the independent holiday_jp oracle (not the server's own calendar).
const holidays = new Set(readFileSync(process.env.MIZU_TESTDATA_DIR
  ? join(process.env.MIZU_TESTDATA_DIR, 'holidays_jp.yml')
  : new URL('../data/holidays_jp.yml', import.meta.url), 'utf8')
  .split('\n').map((l) => l.slice(0, 10)).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)));

// The first business day (JST: not Saturday, Sunday or a national holiday) at least 3 days ahead, and the
// Sunday at least 2 days ahead, as YYYY-MM-DD. (A bare "3 days ahead" is 昭和の日 when run on 26 April.)
function dates() {
  const jst = (d) => new Date(d.getTime() + 9 * 3600 * 1000);
  const fmt = (d) => jst(d).toISOString().slice(0, 10);
  let d = new Date(Date.now() + 3 * 86400 * 1000);
  while ([0, 6].includes(jst(d).getUTCDay()) || holidays.has(fmt(d))) d = new Date(d.getTime() + 86400 * 1000);
  let sunday = new Date(Date.now() + 2 * 86400 * 1000);
  while (jst(sunday).getUTCDay() !== 0) sunday = new Date(sunday.getTime() + 86400 * 1000);
  return { weekday: fmt(d), sunday: fmt(sunday) };
}

test('a failed request shows 再試行 and works after it; requests show progress', async () => {
  const { page, context } = await openApp(env.browser, env.server.url, { viewport: { width: 390, height: 844 } });
  let fail = true;
  await page.route('**/api/v1/notices', (route) => (fail ? route.abort('failed') : route.continue()));
  await login(page, 'demo@mizumori.example', 'mizumori-demo-2026');
  const banner = await waitForItem(page, byId('app.network_error'), 'the network error', 20000);
  assert.match(banner.label, /通信できませんでした/);
  await shot(page, 'network-error');
  fail = false;
  await tap(page, 'app.retry');
  await waitForItem(page, byId('top.notice.0'), 'the notices after 再試行', 20000);
  assert.equal((await page.evaluate(() => window.mizu.items())).some((i) => i.id === 'app.network_error'), false);

  // A slow answer: the header shows the progress mark until it arrives.
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/api/v1/contracts/*/payments', async (route) => { await held; await route.continue(); });
  await tap(page, 'menu.open');
  await tap(page, 'menu.payments');
  const progress = await waitForItem(page, byId('app.progress'), 'the progress mark');
  assert.equal(progress.label, '通信中…');
  release();
  await waitUntil(page, () => !window.mizu.items().some((i) => i.id === 'app.progress'), 'progress to end');
  await context.close();
});

test('password reset by mailed code, then 会員情報の変更 changes it again', async () => {
  const { page, context } = await openApp(env.browser, env.server.url, { viewport: { width: 360, height: 640 } });
  await tap(page, 'login.forgot');
  await waitForItem(page, (i) => i.id === 'reset.title' && i.label === 'パスワードの再設定', 'the reset screen');
  const started = Date.now();
  await typeInto(page, 'reset.email', 'demo@mizumori.example');
  await tap(page, 'reset.send_code');
  await waitForItem(page, byId('reset.code'), 'the code step', 20000);
  const code = (await waitForMail(env.server.data, 'demo@mizumori.example', { after: started - 1000 })).match(/\b(\d{6})\b/)[1];
  await typeInto(page, 'reset.code', code);
  await typeInto(page, 'reset.new_password', 'aozora-no-shita-2026');
  await tap(page, 'reset.complete');
  await waitForItem(page, byId('reset.done'), 'reset done', 20000);
  await shot(page, 'reset-done');
  await tap(page, 'reset.to_login');
  await login(page, 'demo@mizumori.example', 'aozora-no-shita-2026');

  await tap(page, 'menu.open');
  await tap(page, 'menu.procedures');
  await tap(page, 'procedures.account');
  await typeInto(page, 'account.current_password', 'wrong-password-here');
  await typeInto(page, 'account.new_password', 'hoshizora-kirari-88');
  await tap(page, 'account.password_submit');
  const wrong = await waitForItem(page, (i) => i.id === 'account.current_password' && i.error, 'wrong current', 20000);
  assert.equal(wrong.error, 'パスワードが正しくありません。');  // error.password_incorrect, not just any text
  await typeInto(page, 'account.current_password', 'aozora-no-shita-2026');
  await tap(page, 'account.password_submit');
  await waitForItem(page, (i) => i.id === 'account.done' && /パスワードを変更しました/.test(i.label), 'changed', 20000);
  await shot(page, 'account');
  await context.close();
});

test('退会 warns, needs the password, ends the session; the login then fails', async () => {
  const { page, context } = await openApp(env.browser, env.server.url, { viewport: { width: 360, height: 640 } });
  await login(page, 'family@mizumori.example', 'mizumori-family-2026');
  await tap(page, 'menu.open');
  await tap(page, 'menu.procedures');
  await tap(page, 'procedures.withdraw');
  const warning = await waitForItem(page, byId('withdraw.warning'), 'the warning');
  assert.match(warning.label, /元に戻すことはできません/);
  const submit = await waitForItem(page, byId('withdraw.submit'), 'the button');
  assert.equal(submit.enabled, false, 'withdrawal needs the confirmation first');
  await tap(page, 'withdraw.understood');
  await typeInto(page, 'withdraw.password', 'mizumori-family-2026');
  await shot(page, 'withdraw');
  await tap(page, 'withdraw.submit');
  const done = await waitForItem(page, byId('app.flash'), 'the goodbye', 20000);
  assert.match(done.label, /退会しました/);
  assert.equal(await page.evaluate(async () => (await fetch('/api/v1/me')).status), 401);
  await typeInto(page, 'login.email', 'family@mizumori.example', { clear: true });
  await typeInto(page, 'login.password', 'mizumori-family-2026');
  await tap(page, 'login.submit');
  await waitForItem(page, (i) => i.id === 'login.notice' && i.label.length > 0, 'login refused', 20000);
  await context.close();
});

test('使用開始 without login: a Sunday is refused at the date field, a weekday gets a reference', async () => {
  const { page, context } = await openApp(env.browser, env.server.url, { viewport: { width: 360, height: 640 } });
  const { weekday, sunday } = dates();
  await tap(page, 'login.applications');
  await waitForItem(page, byId('applications.title'), 'the application form');
  await typeInto(page, 'applications.address', '水守市本町9丁目9番9号', { ime: true });
  await typeInto(page, 'applications.name', '水野 清', { ime: true });
  await typeInto(page, 'applications.name_kana', 'みずの　きよし', { ime: true });
  await typeInto(page, 'applications.phone', '090-2222-3333');
  await typeInto(page, 'applications.email', 'kiyoshi@example.jp');
  await typeInto(page, 'applications.desired_date', sunday);
  await tap(page, 'applications.submit');
  const date = await waitForItem(page, (i) => i.id === 'applications.desired_date' && i.error, 'date error', 20000);
  assert.equal(date.error, '土・日・祝日は指定できません。平日を選択してください。');
  const kana = await waitForItem(page, byId('applications.name_kana'), 'kana');
  assert.equal(kana.value, 'ミズノ キヨシ', 'hiragana shown as katakana before sending');
  await shot(page, 'application-error');
  await typeInto(page, 'applications.desired_date', weekday, { clear: true });
  await tap(page, 'applications.submit');
  const reference = await waitForItem(page, byId('applications.reference'), 'the reference', 20000);
  assert.match(reference.value, /^MI-\d{8}-\d{6}$/);
  await shot(page, 'application-done');
  await context.close();
});

// The newest SMS of the file transport (<data>/sms/*.txt: "To: …", "Message-ID: …", blank line, text) to `to`.
async function waitForSms(data, to, timeout = 20000) {
  const dir = join(data, 'sms');
  const deadline = Date.now() + timeout;
  for (;;) {
    const texts = (existsSync(dir) ? readdirSync(dir) : []).filter((n) => n.endsWith('.txt')).sort()
      .map((n) => readFileSync(join(dir, n), 'utf8')).filter((t) => t.startsWith(`To: ${to}\n`));
    if (texts.length) return texts[texts.length - 1];
    if (Date.now() > deadline) throw new Error(`no SMS to ${to} in ${dir}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('sign-up with a mobile number: the code comes by SMS, and the number logs in', async () => {
  const { page, context } = await openApp(env.browser, env.server.url, { viewport: { width: 360, height: 640 } });
  await tap(page, 'login.signup');
  await typeInto(page, 'signup.email', '０９０－５５５５－６６６６', { ime: true });
  await tap(page, 'signup.send_code');
  const sent = await waitForItem(page, byId('signup.code_sent'), 'the code step', 20000);
  assert.match(sent.label, /09055556666 にSMSで認証コードを送信しました/);
  const code = (await waitForSms(env.server.data, '09055556666')).match(/\b(\d{6})\b/)[1];
  await typeInto(page, 'signup.code', code);
  await tap(page, 'signup.verify');
  await typeInto(page, 'signup.password', 'yuugure-no-kane-55');
  await typeInto(page, 'signup.customer_number', '0-0000008020');
  await typeInto(page, 'signup.bureau_phone', '0467-20-1010');
  await typeInto(page, 'signup.applicant_phone', '090-5555-6666');
  await tap(page, 'signup.agree');
  await tap(page, 'signup.complete');
  await waitForItem(page, byId('signup.done'), 'signed up', 20000);
  await tap(page, 'signup.to_top');
  await tap(page, 'menu.open');
  await tap(page, 'menu.logout');
  await login(page, '090-5555-6666', 'yuugure-no-kane-55');
  const first = await waitForItem(page, byId('top.contract.0.number'), 'the contract');
  assert.match(first.label, /0-0000008020/);
  await context.close();
});

test('sign-up with an address that has an account: told only after the code, at the address field', async () => {
  const { page, context } = await openApp(env.browser, env.server.url, { viewport: { width: 360, height: 640 } });
  await tap(page, 'login.signup');
  const started = Date.now();
  await typeInto(page, 'signup.email', 'demo@mizumori.example');
  await tap(page, 'signup.send_code');
  await waitForItem(page, byId('signup.code'), 'the code step (nothing said yet)', 20000);
  const code = (await waitForMail(env.server.data, 'demo@mizumori.example', { after: started - 1000 })).match(/\b(\d{6})\b/)[1];
  await typeInto(page, 'signup.code', code);
  await tap(page, 'signup.verify');
  const field = await waitForItem(page, (i) => i.id === 'signup.email' && i.error, 'the taken address', 20000);
  assert.equal(field.error, 'メールアドレスが登録済みのため、使用することができません');
  await context.close();
});
