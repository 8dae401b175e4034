// Web Push end to end (docs/notifications.md). A push service on loopback (this file, the browser vendor's
// role) receives what the real server sends when a bill is imported for a resident whose browser registered:
// it checks the VAPID token with Node's own ECDSA (RFC 8292) and decrypts the body with the `http_ece` package
// (RFC 8188/8291) — implementations independent of the server's C++. Then the decrypted message is delivered
// to the app's service worker in Chromium (CDP ServiceWorker.deliverPushMessage), which must show it as a
// notification that opens the notices screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import ece from 'http_ece';
import { suite, openApp, waitUntil, waitForItem, tap, typeInto } from './harness.mjs';

let importToken = '';
const env = suite({
  demo: true,
  config: { push: { allow_http_loopback: true } },
  prepare: (binary, data) => {
    const r = spawnSync(binary, ['token', 'create', '--scope', 'import', '--data', data], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error('token create failed: ' + r.stderr);
    importToken = r.stdout.trim();
  },
});

// The push service: every POST kept with its headers and body; waiters woken on arrival (events, no timers).
function startPushService() {
  const received = [];
  const waiters = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(201).end();
      for (const w of waiters.splice(0)) w();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    next: (n) => (received.length >= n ? Promise.resolve() : new Promise((r) => waiters.push(r)))
      .then(() => (received.length >= n ? received : null)),
    close: () => new Promise((r) => server.close(r)),
  })));
}

// JSON over fetch with the session cookie the login set.
async function api(base, path, { method = 'GET', body, cookie = '', headers = {} } = {}) {
  const res = await fetch(base + path.replace(/^\//, ''), {
    method,
    headers: { Origin: base.replace(/\/$/, ''), ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...(cookie ? { Cookie: cookie } : {}), ...headers },
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

const jstDate = (ms) => new Date(ms + 9 * 3600 * 1000).toISOString().slice(0, 10);
const b64u = (buf) => Buffer.from(buf).toString('base64url');

test('a bill imported for a registered browser is pushed, VAPID-signed and decryptable by http_ece', async () => {
  const base = env.server.url;
  const push = await startPushService();
  try {
    const login = await api(base, '/api/v1/login', {
      method: 'POST', body: { email: 'demo@mizumori.example', password: 'mizumori-demo-2026', remember: false },
    });
    assert.equal(login.status, 200);
    const cookie = login.headers.get('set-cookie').match(/mizu_session=[^;]*/)[0];
    const vapid = (await api(base, '/api/v1/push/key')).json.key;
    assert.match(vapid, /^[A-Za-z0-9_-]{87}$/);

    // The browser's side: a P-256 key pair and an auth secret, as PushManager.subscribe makes them.
    const ua = crypto.createECDH('prime256v1');
    ua.generateKeys();
    const auth = crypto.randomBytes(16);
    const added = await api(base, '/api/v1/me/push-subscriptions', {
      method: 'POST', cookie,
      body: { endpoint: `${push.url}/push/1`, keys: { p256dh: b64u(ua.getPublicKey()), auth: b64u(auth) },
        device: 'e2e Chromium' },
    });
    assert.equal(added.status, 201, JSON.stringify(added.json));

    // A new bill for the resident's first contract (the CIS import, Bearer token): its 検針結果 notice.
    const contracts = (await api(base, '/api/v1/contracts', { cookie })).json.contracts;
    const cn = contracts[0].customer_number;
    const day = (d) => jstDate(Date.now() + d * 86400 * 1000);
    const csv = 'customer_number,reading_date,period_start,period_end,prev_reading,curr_reading,usage_m3,' +
      'water_charge,sewer_charge,tax,total,due_date,payment_method\n' +
      `${cn},${day(0)},${day(-61)},${day(-1)},9000,9030,30,4000,3000,700,7700,${day(20)},direct_debit\n`;
    const imported = await api(base, '/api/v1/admin/import/bills', {
      method: 'POST', body: csv, headers: { Authorization: `Bearer ${importToken}`, 'Content-Type': 'text/csv' },
    });
    assert.equal(imported.status, 200, JSON.stringify(imported.json));

    const got = await push.next(1);
    assert.ok(got, 'the push service received the notice');
    const req = got[0];
    assert.equal(req.path, '/push/1');
    assert.equal(req.headers['content-encoding'], 'aes128gcm');
    assert.ok(Number(req.headers.ttl) > 0);

    // RFC 8292: the JWT verifies with the key in k=, which is the key /api/v1/push/key gives.
    const m = req.headers.authorization.match(/^vapid t=([\w-]+)\.([\w-]+)\.([\w-]+), k=([\w-]+)$/);
    assert.ok(m, req.headers.authorization);
    assert.equal(m[4], vapid);
    const pub = Buffer.from(m[4], 'base64url');
    const key = crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64u(pub.subarray(1, 33)),
      y: b64u(pub.subarray(33, 65)) }, format: 'jwk' });
    assert.ok(crypto.verify('sha256', Buffer.from(`${m[1]}.${m[2]}`), { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(m[3], 'base64url')), 'the ES256 signature verifies');
    assert.deepEqual(JSON.parse(Buffer.from(m[1], 'base64url')), { typ: 'JWT', alg: 'ES256' });
    const claims = JSON.parse(Buffer.from(m[2], 'base64url'));
    assert.equal(claims.aud, push.url);
    assert.ok(claims.exp > Date.now() / 1000 && claims.exp <= Date.now() / 1000 + 24 * 3600);
    assert.match(claims.sub, /^mailto:/);

    // RFC 8291 on the browser's side, by http_ece.
    const plain = ece.decrypt(req.body, { version: 'aes128gcm', privateKey: ua, authSecret: auth });
    const message = JSON.parse(plain.toString('utf8'));
    assert.match(message.title, /検針/);
    assert.match(message.body, /30/);  // the bill's m³
    assert.equal(message.url, '/#/notices');
    assert.equal(message.kind, 'bill_notice');

    // The app's service worker shows it (the decrypted message, delivered as the browser's push service would).
    const { page, context } = await openApp(env.browser, base);
    await context.grantPermissions(['notifications'], { origin: base.replace(/\/$/, '') });
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const cdp = await context.newCDPSession(page);
    // ServiceWorker.enable reports the registrations as events: resolve on the first live one.
    const registered = new Promise((resolve) => cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
      const live = e.registrations.find((r) => !r.isDeleted);
      if (live) resolve(live);
    }));
    await cdp.send('ServiceWorker.enable');
    const reg = await registered;
    await cdp.send('ServiceWorker.deliverPushMessage',
      { origin: base.replace(/\/$/, ''), registrationId: reg.registrationId, data: plain.toString('utf8') });
    await waitUntil(page, () => navigator.serviceWorker.ready.then((r) => r.getNotifications())
      .then((n) => n.length === 1), 'the notification to show');
    const shown = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.getNotifications())
      .then((n) => n.map((x) => ({ title: x.title, body: x.body, tag: x.tag, data: x.data,
        actions: [...(x.actions || [])].map((a) => a.action) }))));
    assert.equal(shown[0].title, message.title);
    assert.equal(shown[0].body, message.body);
    assert.equal(shown[0].tag, message.id);  // a duplicate delivery replaces it
    assert.equal(shown[0].data.url, '/#/notices');
    assert.deepEqual(shown[0].actions, []);  // a notice has no stop link
    // A watch's message carries the recipient's stop link: the notification offers 配信停止.
    const watchMessage = { title: '【水守】見守り：水が2時間以上続けて使われています', body: 'x', url: '/#/top',
      kind: 'watch_alert', id: 'watch-1', stop_url: `${base}watch/stop?token=abc` };
    await cdp.send('ServiceWorker.deliverPushMessage',
      { origin: base.replace(/\/$/, ''), registrationId: reg.registrationId, data: JSON.stringify(watchMessage) });
    await waitUntil(page, () => navigator.serviceWorker.ready.then((r) => r.getNotifications())
      .then((n) => n.length === 2), 'the watch notification to show');
    const actions = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.getNotifications())
      .then((n) => n.find((x) => x.tag === 'watch-1').actions.map((a) => ({ action: a.action, title: a.title }))));
    assert.deepEqual(actions, [{ action: 'stop', title: '配信停止' }]);
    await context.close();
  } finally {
    await push.close();
  }
});

// 通知受信設定: the push section lists the account's devices (the one the first test registered) and turns one
// off; this browser's own switch asks the browser, and says so when it cannot subscribe.
test('通知受信設定 shows the devices, turns one off, and this browser\'s switch answers', async () => {
  const base = env.server.url;
  const { page, context } = await openApp(env.browser, base, { viewport: { width: 390, height: 844 } });
  await context.grantPermissions(['notifications'], { origin: base.replace(/\/$/, '') });
  const byId = (id) => (i) => i.id === id;
  await waitForItem(page, byId('login.title'), 'the login screen', 20000);
  await typeInto(page, 'login.email', 'demo@mizumori.example', { clear: true });
  await typeInto(page, 'login.password', 'mizumori-demo-2026');
  await tap(page, 'login.submit');
  await waitForItem(page, byId('top.title'), 'the top screen', 20000);
  await page.evaluate(() => { window.location.hash = '#/notification-settings'; });
  await waitForItem(page, byId('nsettings.push_title'), 'the push section', 20000);
  const mine = await waitForItem(page, (i) => i.id.startsWith('nsettings.device.'), 'the registered device');
  assert.match(mine.label, /e2e Chromium（127\.0\.0\.1:\d+）/);
  assert.equal(mine.value, 'true');
  const self = await waitForItem(page, byId('nsettings.push_this'), 'this browser\'s switch');
  assert.equal(self.value, 'false');

  await tap(page, mine.id);
  await waitForItem(page, (i) => i.id === mine.id && i.value === 'false', 'the device turned off');
  const devices = await page.evaluate(async () => (await (await fetch('/api/v1/me/push-subscriptions')).json()).devices);
  assert.equal(devices.length, 1);
  assert.equal(devices[0].enabled, false);

  // This browser: headless Chromium here has no push service to subscribe with (no network), so the switch must
  // say that registering failed and that notices come by e-mail — not stay silent or pretend.
  await tap(page, 'nsettings.push_this');
  const outcome = await waitForItem(page, (i) => i.id === 'nsettings.push_error' ||
    (i.id === 'nsettings.push_this' && i.value === 'true'), 'the switch\'s answer', 30000);
  assert.equal(outcome.id, 'nsettings.push_error');
  assert.match(outcome.label, /登録できませんでした.*メールでお届けします/);
  assert.equal((await page.evaluate(async () => (await (await fetch('/api/v1/me/push-subscriptions')).json()).devices)).length, 1);
  await context.close();
});

// 異変のお知らせ: the watch's alerts are chosen on their own screen and kept by the server; 通知履歴 below.
test('異変のお知らせ: choose continuous flow at 3 hours and quiet hours, save, and the server keeps them', async () => {
  const base = env.server.url;
  const { page, context } = await openApp(env.browser, base, { viewport: { width: 390, height: 844 } });
  const byId = (id) => (i) => i.id === id;
  await waitForItem(page, byId('login.title'), 'the login screen', 20000);
  await typeInto(page, 'login.email', 'demo@mizumori.example', { clear: true });
  await typeInto(page, 'login.password', 'mizumori-demo-2026');
  await tap(page, 'login.submit');
  await waitForItem(page, byId('top.title'), 'the top screen', 20000);
  await page.evaluate(() => { window.location.hash = '#/watch'; });
  await tap(page, 'watch.to_alerts');
  await waitForItem(page, byId('alerts.title'), 'the alerts screen', 20000);
  const flow = await waitForItem(page, byId('alerts.continuous_flow'), 'the continuous-flow choice');
  assert.equal(flow.value, 'false');
  await tap(page, 'alerts.continuous_flow');
  await waitForItem(page, byId('alerts.flow_hours'), 'its hours');
  await tap(page, 'alerts.flow_hours');
  await tap(page, 'alerts.flow_hours.option.2');  // 1, 2, 3 … hours: the third is 3
  await tap(page, 'alerts.quiet');
  await waitForItem(page, byId('alerts.quiet_from'), 'the quiet hours');
  await tap(page, 'alerts.save');
  await waitForItem(page, byId('alerts.saved'), 'saved', 20000);
  const cn = await page.evaluate(async () => (await (await fetch('/api/v1/contracts')).json()).contracts
    .find((c) => c.smart_meter).customer_number);
  const kept = await page.evaluate(async (c) => (await fetch(`/api/v1/contracts/${c}/watch/alerts`)).json(), cn);
  assert.equal(kept.continuous_flow, true);
  assert.equal(kept.flow_hours, 3);
  assert.equal(kept.quiet_from_hour, 21);
  assert.equal(kept.quiet_to_hour, 7);
  assert.equal(kept.long_no_use, false);
  await waitForItem(page, (i) => i.id === 'alerts.history_title', '通知履歴');
  // 30 hours of no use, saved through the API (which allows 12–72): the screen shows and reads out 30 hours,
  // not the first of its own list.
  const put = await page.evaluate(async (c) => (await fetch(`/api/v1/contracts/${c}/watch/alerts`, {
    method: 'PUT', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ long_no_use: true, no_use_hours: 30 }) })).status, cn);
  assert.equal(put, 200);
  await page.evaluate(() => { window.location.hash = '#/watch'; });
  await tap(page, 'watch.to_alerts');
  const hours = await waitForItem(page, byId('alerts.no_use_hours'), 'the no-use hours');
  assert.match(`${hours.value} ${hours.label}`, /30時間/);
  await context.close();
});
