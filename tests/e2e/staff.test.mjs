// The bureau staff console in Chromium (docs/staff.md), beside a resident's own browser, on a real server whose
// mail goes through a real SMTP server (aiosmtpd, tests/e2e/staff_smtpd.py) that refuses one mailbox until it
// is fixed:
//   - a counter clerk finds a customer by a full-width customer number, sees that the resident's sign-up code
//     was refused (550), sends a new one, and the resident signs up with it;
//   - a supervisor withdraws the account and the resident's session cookie stops working;
//   - a supervisor's notice to a district (an address prefix) reaches one resident's お知らせ and not another's.
// Staff accounts are made as an administrator does (`mizumori staff create`) and enrolled through the
// one-time link with a TOTP factor computed here from the base32 secret (RFC 6238, independent of the server).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  startServer, launchBrowser, openApp, waitForItem, tap, typeInto, decodeMail, outDir,
  waitUntil,
} from './harness.mjs';
import { assertAxeClean } from './a11y_helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const RESIDENT = 'hanako.yamada@example.jp';
const RESIDENT_PASSWORD = 'sakura-no-hana-2026';
const STAFF_PASSWORD = 'kaunta-madoguchi-2026';
const CLERK = 'clerk@city.example.jp';
const BOSS = 'kakaricho@city.example.jp';
const ADMIN = 'kanri@city.example.jp';

// RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of a base32 secret at UTC second t.
function totp(base32, t) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[19] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

const env = { server: null, browser: null, smtpd: null, maildir: null, refused: null, secrets: {}, t0: 0 };

function prepare(binary, data) {
  const csv = 'customer_number,holder_name,holder_kana,address,bureau_phone,meter_id,smart_meter,diameter_mm,status\n' +
    '00000008020,山田 花子,ヤマダ ハナコ,水守市本町2丁目4番6号,0467-20-2020,M200020,1,13,active\n' +
    '00000008022,佐藤 一郎,サトウ イチロウ,水守市本町3丁目1番1号,0467-22-2222,M200022,1,13,active\n' +
    '00000008024,鈴木 次郎,スズキ ジロウ,水守市桜台1丁目1番1号,0467-24-2424,M200024,1,13,active\n';
  const file = join(data, 'staff-customers.csv');
  writeFileSync(file, csv);
  const r = spawnSync(binary, ['import', 'customers', file, '--data', data], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('import failed: ' + r.stdout + r.stderr);
  // 鈴木 次郎's bill paid by slip, due 70 days ago: its payment codes are past their deadline (due + 14 days).
  const day = (d) => new Date(Date.now() + 9 * 3600e3 + d * 86400e3).toISOString().slice(0, 10);
  const bills = join(data, 'staff-bills.csv');
  writeFileSync(bills, 'customer_number,reading_date,period_start,period_end,prev_reading,curr_reading,usage_m3,' +
    'water_charge,sewer_charge,tax,total,due_date,payment_method\n' +
    `00000008024,${day(-90)},${day(-150)},${day(-90)},100,124,24,2660,1680,434,4774,${day(-70)},納付書\n`);
  const b = spawnSync(binary, ['import', 'bills', bills, '--data', data], { encoding: 'utf8' });
  if (b.status !== 0) throw new Error('bills import failed: ' + b.stdout + b.stderr);
  for (const [email, role] of [[CLERK, 'counter'], [BOSS, 'supervisor'], [ADMIN, 'admin']]) {
    const c = spawnSync(binary, ['staff', 'create', '--email', email, '--role', role, '--data', data], { encoding: 'utf8' });
    if (c.status !== 0) throw new Error('staff create failed: ' + c.stdout + c.stderr);
    env.secrets[email] = { token: c.stdout.match(/token=([A-Za-z0-9_-]+)/)[1] };
  }
}

async function api(method, path, body) {
  const res = await fetch(env.server.url + path.replace(/^\//, ''), {
    method, headers: { 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// The server's (fixed) clock: staff codes are computed for it.
let serverNow = 0;
const setClock = (t) => (serverNow = t, api('POST', '/api/v1/test/clock', { now: new Date(t * 1000).toISOString().replace(/\.\d+Z$/, 'Z') }));

// Mails the SMTP server stored for `to`, oldest first, with their arrival time.
function mailsTo(to) {
  const dir = join(env.maildir, 'new');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((name) => {
    const raw = readFileSync(join(dir, name), 'utf8');
    return { raw, mtime: statSync(join(dir, name)).mtimeMs };
  }).filter((m) => new RegExp('^X-RcptTo:.*' + to.replace(/[.+]/g, '\\$&'), 'mi').test(m.raw.split(/\r?\n\r?\n/)[0]))
    .sort((a, b) => a.mtime - b.mtime);
}

async function waitForCodeMail(to, after) {
  const deadline = Date.now() + 20000;
  for (;;) {
    const fresh = mailsTo(to).filter((m) => m.mtime >= after);
    if (fresh.length) return decodeMail(fresh[fresh.length - 1].raw).match(/\b(\d{6})\b/)[1];
    if (Date.now() > deadline) throw new Error(`no mail to ${to}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  const work = join(outDir, `staff-smtp-${process.pid}`);
  env.maildir = join(work, 'maildir');
  env.refused = join(work, 'refused.txt');
  mkdirSync(work, { recursive: true });
  writeFileSync(env.refused, RESIDENT + '\n');
  env.smtpd = spawn(process.env.MIZU_PYTHON3 || '/usr/bin/python3', [join(here, 'staff_smtpd.py'), env.maildir, env.refused], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    env.smtpd.stdout.once('data', (d) => resolve(parseInt(String(d), 10)));
    env.smtpd.once('exit', (code) => reject(new Error('aiosmtpd exited: ' + code)));
  });
  env.server = await startServer({
    prepare,
    config: { mail: { transport: 'smtp', smtp_url: `smtp://127.0.0.1:${port}` }, payment: { company_code: '912345' } },
  });
  env.browser = await launchBrowser();
  // Enrol both staff members at t0 (the server's clock is fixed from here on), so their logins 30 s later use
  // the next code (a code is used once).
  env.t0 = Math.floor(Date.now() / 1000 / 30) * 30;
  assert.equal((await setClock(env.t0)).status, 200);
  for (const email of [BOSS, ADMIN]) {  // the clerk enrols through the web page (the test below)
    const s = env.secrets[email];
    const page = await api('GET', `/api/v1/staff/enrolment?token=${s.token}`);
    assert.equal(page.status, 200);
    s.base32 = page.body.totp.base32;
    const done = await api('POST', '/api/v1/staff/enrolment', { token: s.token, password: STAFF_PASSWORD, code: totp(s.base32, env.t0) });
    assert.equal(done.status, 204, JSON.stringify(done.body));
  }
});

after(async () => {
  await env.browser?.close();
  await env.server?.stop();
  env.smtpd?.kill();
});

async function staffLogin(page, email) {
  await waitForItem(page, (i) => i.id === 'staff.login.title', 'the staff login', 20000);
  await typeInto(page, 'staff.login.email', email);
  await typeInto(page, 'staff.login.password', STAFF_PASSWORD);
  await typeInto(page, 'staff.login.code', totp(env.secrets[email].base32, serverNow));
  await tap(page, 'staff.login.submit');
  await waitForItem(page, (i) => i.id === 'staff.search.title', 'the console', 20000);
}

const shot = (page, name) => page.screenshot({ path: join(outDir, `staff-${name}.png`) });

test('a new clerk enrols through the one-time link: the QR code and its text, a password and the first code', async () => {
  const { page } = await openApp(env.browser, env.server.url + '#/staff/enrol?token=' + env.secrets[CLERK].token,
    { viewport: { width: 1000, height: 900 } });
  await waitForItem(page, (i) => i.id === 'staff.enrol.title', 'the enrolment page', 20000);
  const email = await waitForItem(page, (i) => i.id === 'staff.enrol.email', 'the address', 20000);
  assert.equal(email.value, CLERK);
  // The token is read once and leaves the address bar.
  assert.equal(await page.evaluate(() => location.hash), '#/staff/enrol');
  const qr = await waitForItem(page, (i) => i.id === 'staff.enrol.qr', 'the QR code');
  assert.ok(qr.rect.w >= 21 * 3 && qr.rect.w === qr.rect.h, 'a square symbol, at least 3 px a module');
  const twin = await page.evaluate(() => {
    const el = [...document.querySelectorAll('[role="img"]')].find((e) => /QRコード/.test(e.getAttribute('aria-label') || ''));
    return el ? el.getAttribute('aria-label') : null;
  });
  assert.match(twin, /二段階認証の登録用QRコード/);
  const secret = (await waitForItem(page, (i) => i.id === 'staff.enrol.secret', 'the secret text')).value;
  assert.match(secret, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);  // 160 bits in groups of four
  env.secrets[CLERK].base32 = secret.replace(/ /g, '');
  await typeInto(page, 'staff.enrol.password', STAFF_PASSWORD);
  await typeInto(page, 'staff.enrol.code', totp(env.secrets[CLERK].base32, env.t0));
  await tap(page, 'staff.enrol.submit');
  await waitForItem(page, (i) => i.id === 'staff.enrol.done', 'enrolled', 20000);
  await shot(page, 'enrolled');
  // The link works once.
  assert.equal((await api('GET', `/api/v1/staff/enrolment?token=${env.secrets[CLERK].token}`)).status, 404);
  // Logins from here use the next 30 s step (a code is used once).
  assert.equal((await setClock(env.t0 + 30)).status, 200);
});

test('a clerk sees a refused sign-up code, sends a new one, and the resident signs up; a supervisor withdraws the account', async () => {
  // The resident asks for a code; their mailbox refuses it.
  const resident = await openApp(env.browser, env.server.url + '#/signup', { viewport: { width: 390, height: 800 } });
  const rp = resident.page;
  await waitForItem(rp, (i) => i.id === 'signup.title', 'sign-up', 20000);
  await typeInto(rp, 'signup.email', RESIDENT);
  await tap(rp, 'signup.send_code');
  await waitForItem(rp, (i) => i.id === 'signup.code', 'the code field', 20000);

  // The clerk logs in to the console and finds the customer by the number as the caller reads it, full width.
  const clerk = await openApp(env.browser, env.server.url + '#/staff', { viewport: { width: 1000, height: 900 } });
  const cp = clerk.page;
  await staffLogin(cp, CLERK);
  await typeInto(cp, 'staff.search.q', '０－００００００８０２０', { ime: true });
  await tap(cp, 'staff.search.submit');
  const title = await waitForItem(cp, (i) => i.id === 'staff.customer.title', 'the customer', 20000);
  assert.equal(title.label, '山田 花子（0-0000008020）');
  await waitForItem(cp, (i) => i.id === 'staff.customer.unregistered', 'not registered yet');
  const phone = await waitForItem(cp, (i) => i.id === 'staff.customer.phone', 'the masked phone');
  assert.equal(phone.value, '******2020');

  // What was sent to the address: the code, refused by the receiving server with 550, waiting to retry.
  await typeInto(cp, 'staff.search.q', RESIDENT, { clear: true });
  let refused = null;
  for (let i = 0; i < 40 && !refused; ++i) {
    await tap(cp, 'staff.search.messages');
    await waitForItem(cp, (it) => it.id === 'staff.messages.title', 'the messages');
    const attempt = (await cp.evaluate(() => window.mizu.items())).find((it) => it.id === 'staff.message.0.attempt.0');
    if (attempt) refused = attempt;
    else await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(refused, 'the refused attempt is listed');
  assert.match(refused.label, /550/);
  const state = await waitForItem(cp, (i) => i.id === 'staff.message.0', 'the message state');
  assert.match(state.label, /認証コード（新規登録）/);
  assert.match(state.value, /再送待ち/);
  await shot(cp, 'refused');

  // The resident empties their mailbox; a minute later the relay's retry of the old code gets through (waited
  // for, so no attempt is in flight when the clerk acts), and the clerk sends a new code, with a reason.
  writeFileSync(env.refused, '');
  assert.equal((await setClock(env.t0 + 30 + 61)).status, 200);
  let delivered = false;
  for (let i = 0; i < 60 && !delivered; ++i) {
    await tap(cp, 'staff.search.messages');
    await waitForItem(cp, (it) => it.id === 'staff.messages.title', 'the messages');
    delivered = (await cp.evaluate(() => window.mizu.items()))
      .some((it) => it.id === 'staff.message.0' && /受け取りました/.test(it.value));
    if (!delivered) await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(delivered, 'the retry of the old code was delivered');
  await typeInto(cp, 'staff.reason', 'コードが届かないとのお電話');
  const resent = Date.now();
  await tap(cp, 'staff.resend');
  await waitForItem(cp, (i) => i.id === 'staff.done' && /新しい認証コードを送りました/.test(i.label), 'resent');
  const code = await waitForCodeMail(RESIDENT, resent - 50);

  // The resident signs up with the new code.
  await typeInto(rp, 'signup.code', code);
  await tap(rp, 'signup.verify');
  await typeInto(rp, 'signup.password', RESIDENT_PASSWORD);
  await typeInto(rp, 'signup.customer_number', '0-0000008020');
  await typeInto(rp, 'signup.bureau_phone', '0467-20-2020');
  await typeInto(rp, 'signup.applicant_phone', '090-2020-2020');
  await tap(rp, 'signup.agree');
  await tap(rp, 'signup.complete');
  await waitForItem(rp, (i) => i.id === 'signup.done', 'signed up', 20000);
  const cookies = await resident.context.cookies();
  const session = cookies.find((c) => c.name === 'mizu_session');
  assert.ok(session, 'the resident is logged in');
  const me = () => fetch(env.server.url + 'api/v1/me', { headers: { Cookie: `mizu_session=${session.value}` } });
  assert.equal((await me()).status, 200);

  // A supervisor withdraws the account on the customer's request; the resident's cookie stops working.
  const boss = await openApp(env.browser, env.server.url + '#/staff', { viewport: { width: 1000, height: 900 } });
  const bp = boss.page;
  await staffLogin(bp, BOSS);
  await typeInto(bp, 'staff.search.q', '8020');
  await tap(bp, 'staff.search.submit');
  const login = await waitForItem(bp, (i) => i.id === 'staff.customer.login', 'the account', 20000);
  assert.equal(login.value, RESIDENT);
  // The account's notification settings and watch, as the caller may ask about them.
  const settings = await waitForItem(bp, (i) => i.id === 'staff.account.0', 'the notification settings', 20000);
  assert.equal(settings.label, '通知受信設定（メール）');
  assert.match(settings.value, /検針結果のお知らせ：受け取る/);
  const watch = await waitForItem(bp, (i) => i.id === 'staff.account.1', 'the watch line');
  assert.equal(watch.label, '見守り（0-0000008020）');
  assert.equal(watch.value, 'なし');
  await typeInto(bp, 'staff.reason', 'IDを忘れたため退会したいとのお申し出（本人確認済み）');
  await tap(bp, 'staff.withdraw');
  await tap(bp, 'staff.withdraw.yes');
  await waitForItem(bp, (i) => i.id === 'staff.done' && /退会の手続きが完了しました/.test(i.label), 'withdrawn', 20000);
  await waitForItem(bp, (i) => i.id === 'staff.customer.unregistered', 'no account any more');
  assert.equal((await me()).status, 401);
  await shot(bp, 'withdrawn');
  // The counter's view: no 退会 button for a clerk (the server refuses the role too).
  assert.equal((await cp.evaluate(() => window.mizu.items())).some((i) => i.id === 'staff.withdraw'), false);
  const forbidden = await cp.evaluate(async () => (await fetch('/api/v1/staff/accounts/1/withdraw', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ reason: 'x' }),
  })).status);
  assert.equal(forbidden, 403);
});

// Signs a resident up through the API (the code read from the delivered mail) and returns their cookie.
async function signUp(email, cn, phone) {
  const started = Date.now();
  assert.equal((await api('POST', '/api/v1/signup/start', { email })).status, 202);
  const code = await waitForCodeMail(email, started - 50);
  const v = await api('POST', '/api/v1/signup/verify', { email, code });
  assert.equal(v.status, 200);
  const res = await fetch(env.server.url + 'api/v1/signup/complete', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ signup_token: v.body.signup_token, password: RESIDENT_PASSWORD, customer_number: cn,
      bureau_phone: phone, applicant_phone: '090-3333-4444', agree_terms: true }),
  });
  assert.equal(res.status, 201);
  return res.headers.get('set-cookie').match(/mizu_session=([^;]+)/)[1];
}

test('a district notice reaches the resident in that district and not the one outside it', async () => {
  await signUp('sato@example.jp', '00000008022', '0467-22-2222');      // 水守市本町
  await signUp('suzuki@example.jp', '00000008024', '0467-24-2424');  // 水守市桜台
  // A week later (the contracts are visible from the next business day's 9:00).
  assert.equal((await setClock(serverNow + 7 * 86400)).status, 200);

  const boss = await openApp(env.browser, env.server.url + '#/staff/notices', { viewport: { width: 1000, height: 900 } });
  const bp = boss.page;
  await staffLogin(bp, BOSS);
  await tap(bp, 'staff.nav.notices');
  await waitForItem(bp, (i) => i.id === 'staff.notice.title', 'the notice form', 20000);
  await tap(bp, 'staff.notice.kind.outage');
  await typeInto(bp, 'staff.notice.title_ja', '本町地区の断水について');
  await typeInto(bp, 'staff.notice.body_ja', '12月10日 9時から12時まで、配水管工事のため断水します。');
  await tap(bp, 'staff.notice.target.district');
  await typeInto(bp, 'staff.notice.district', '水守市本町');
  await tap(bp, 'staff.notice.preview');
  // Two contracts in 本町 (one withdrawn from the portal above, still a customer), one registered resident.
  const reach = await waitForItem(bp, (i) => i.id === 'staff.notice.reach', 'the reach', 20000);
  assert.equal(reach.label, '2件のご契約に表示され、1名にメールでお知らせします。');
  await tap(bp, 'staff.notice.publish');
  await waitForItem(bp, (i) => i.id === 'staff.notice.done', 'published', 20000);
  await waitForItem(bp, (i) => i.id === 'staff.notice.item.0' && /本町地区の断水について/.test(i.label), 'the list');
  await shot(bp, 'notice');

  // The resident in 本町 sees it in お知らせ.
  const inside = await openApp(env.browser, env.server.url + '#/notices', { viewport: { width: 390, height: 800 } });
  const ip = inside.page;
  await waitForItem(ip, (i) => i.id === 'login.title', 'the login', 20000);
  await typeInto(ip, 'login.email', 'sato@example.jp');
  await typeInto(ip, 'login.password', RESIDENT_PASSWORD);
  await tap(ip, 'login.submit');
  await waitForItem(ip, (i) => i.id.startsWith('notices.item.') && /本町地区の断水について/.test(i.label), 'the notice', 20000);
  // The resident in 桜台 does not (logged in again: a week passed).
  const login = await fetch(env.server.url + 'api/v1/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'suzuki@example.jp', password: RESIDENT_PASSWORD }),
  });
  assert.equal(login.status, 200);
  const outside = login.headers.get('set-cookie').match(/mizu_session=([^;]+)/)[1];
  const res = await fetch(env.server.url + 'api/v1/contracts/00000008024/notices', { headers: { Cookie: `mizu_session=${outside}` } });
  assert.equal(res.status, 200);
  const titles = (await res.json()).notices.map((n) => n.title);
  assert.equal(titles.some((t) => /断水/.test(t)), false, JSON.stringify(titles));
});

test('axe finds no violation on the console screens, in Japanese and English', async () => {
  // axe is injected as a script: the page's Content-Security-Policy would refuse it.
  const { page } = await openApp(env.browser, env.server.url + '#/staff',
    { viewport: { width: 1000, height: 900 }, bypassCSP: true });
  await assertAxeClean(page, 'staff login (ja)');
  assert.equal((await setClock(serverNow + 30)).status, 200);  // a new step: a code logs in once
  await staffLogin(page, BOSS);
  let checked = 1;
  for (const lang of ['ja', 'en']) {
    if ((await page.evaluate(() => document.documentElement.lang)) !== lang) {
      await tap(page, 'lang.switch');
      await waitUntil(page, (l) => document.documentElement.lang === l, `<html lang="${lang}">`, lang);
    }
    for (const [nav, heading] of [['staff.nav.customers', 'staff.search.title'], ['staff.nav.applications', 'staff.app.title'],
      ['staff.nav.notices', 'staff.notice.title'], ['staff.nav.delivery', 'staff.delivery.title'],
      ['staff.nav.audit', 'staff.audit.title']]) {
      if ((await page.evaluate(() => window.mizu.items())).some((i) => i.id === nav && i.enabled)) await tap(page, nav);
      await waitForItem(page, (i) => i.id === heading, heading, 20000);
      await waitUntil(page, () => !window.mizu.items().some((i) => i.id === 'app.progress') && window.mizu.inputPending() === 0,
        `${heading} settled`, undefined, 20000);
      await assertAxeClean(page, `${heading} (${lang})`);
      ++checked;
    }
  }
  assert.equal(checked, 11);
});

test('an administrator enrols a counter kiosk, sees its start URL once, and revokes it', async () => {
  const { page } = await openApp(env.browser, env.server.url + '#/staff', { viewport: { width: 1000, height: 900 } });
  assert.equal((await setClock(serverNow + 30)).status, 200);  // a new step: a code logs in once
  await staffLogin(page, ADMIN);
  await tap(page, 'staff.nav.kiosks');
  await waitForItem(page, (i) => i.id === 'staff.kiosk.title', 'the kiosks screen', 20000);
  await typeInto(page, 'staff.kiosk.name', '本庁 1番窓口');
  await tap(page, 'staff.kiosk.enrol');
  const url = await waitForItem(page, (i) => i.id === 'staff.kiosk.start_url', 'the start URL', 20000);
  assert.match(url.value, /\/#\/\?kiosk=[A-Za-z0-9_-]{43}$/);
  const row = await waitForItem(page, (i) => i.id === 'staff.kiosk.row.0', 'the terminal');
  assert.match(row.label, /本庁 1番窓口/);
  assert.equal(row.value, '利用中');
  // Revoking needs a reason; then the terminal shows as revoked.
  await tap(page, 'staff.kiosk.row.0.revoke');
  await waitForItem(page, (i) => i.id === 'staff.kiosk.reason' && i.error, 'the reason is required');
  await typeInto(page, 'staff.kiosk.reason', '端末の入れ替え');
  await tap(page, 'staff.kiosk.row.0.revoke');
  await waitForItem(page, (i) => i.id === 'staff.kiosk.row.0' && /^停止/.test(i.value), 'revoked', 20000);
  // The start URL is not shown again once the screen is left.
  await tap(page, 'staff.nav.customers');
  await tap(page, 'staff.nav.kiosks');
  await waitForItem(page, (i) => i.id === 'staff.kiosk.row.0', 'the list again', 20000);
  assert.equal((await page.evaluate(() => window.mizu.items())).some((i) => i.id === 'staff.kiosk.start_url'), false);
});

test('a clerk reissues a bill\'s payment codes past their deadline, with a reason; the audit log keeps it', async () => {
  const { page } = await openApp(env.browser, env.server.url + '#/staff', { viewport: { width: 1000, height: 900 } });
  assert.equal((await setClock(serverNow + 30)).status, 200);  // a new step: a code logs in once
  await staffLogin(page, CLERK);
  await typeInto(page, 'staff.search.q', '00000008024');
  await tap(page, 'staff.search.submit');
  await waitForItem(page, (i) => i.id === 'staff.customer.title', 'the customer', 20000);
  await tap(page, 'staff.bills');
  const row = await waitForItem(page, (i) => i.id === 'staff.bill.0', 'the unpaid bill', 20000);
  assert.match(row.label, /4,774円/);
  assert.match(row.value, /期限切れ/);
  await tap(page, 'staff.bill.0.reissue');  // no reason yet: refused at the field
  await waitForItem(page, (i) => i.id === 'staff.reason' && i.error, 'the reason is required');
  await typeInto(page, 'staff.reason', '本人から電話: 払込票の期限切れ');
  await tap(page, 'staff.bill.0.reissue');
  await waitForItem(page, (i) => i.id === 'staff.done', 'reissued', 20000);
  const after = await waitForItem(page, (i) => i.id === 'staff.bill.0' && /再発行 1回/.test(i.value), 'the new deadline', 20000);
  const until = new Date(serverNow * 1000 + 9 * 3600e3 + 14 * 86400e3).toISOString().slice(0, 10).split('-');
  assert.ok(after.value.includes(`${Number(until[0])}年${Number(until[1])}月${Number(until[2])}日まで`), after.value);
  await shot(page, 'reissue');
});
