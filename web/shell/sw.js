// The service worker: keeps the app shell (the content-hashed files) so the app opens from the home screen, and
// offline, without downloading anything. web/tools/make_dist.py fills in VERSION and PRECACHE; this file itself
// is served unhashed with no-cache, so the browser notices a new build and installs the new worker.
'use strict';
const VERSION = /*@VERSION@*/'dev';
const PRECACHE = /*@PRECACHE@*/[];
const CACHE = 'mizumori-shell-' + VERSION;
const SCOPE = new URL(self.registration.scope);
const SHELL = new URL('index.html', SCOPE).href;
const PRECACHED = new Set(PRECACHE.map((p) => new URL(p, self.registration.scope).href));

self.addEventListener('install', (event) => {
  // The hashed files are usually in the HTTP cache already (immutable), so this rarely touches the network.
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll([...PRECACHED])).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('mizumori-shell-') && k !== CACHE)
      .map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  // Never the API (sessions, personal data) and never another origin: those go to the network untouched.
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (req.mode === 'navigate') {
    // The page: the network first (a 304 when nothing changed) so a new build is picked up at once; the cached
    // copy when offline.
    event.respondWith(fetch(req).then((res) => {
      if (res.ok && (url.pathname === SCOPE.pathname || url.href.split('?')[0] === SHELL)) {
        const copy = res.clone();
        caches.open(CACHE).then((c) => c.put(SHELL, copy));
      }
      return res;
    }).catch(() => caches.match(SHELL).then((r) => r || Response.error())));
    return;
  }
  url.search = '';
  if (PRECACHED.has(url.href) && url.href !== SHELL) {
    // Content-hashed: a cached copy is always right.
    event.respondWith(caches.match(url.href).then((hit) => hit || fetch(req)));
  }
});

// Web Push (docs/notifications.md): the server sends {title, body, url, kind, id} encrypted for this browser
// (RFC 8291); the browser has decrypted it. Shown as a notification whose tag is the message id, so a
// duplicate of an at-least-once delivery replaces the first instead of showing twice.
self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (e) {
    message = { body: event.data ? event.data.text() : '' };
  }
  const title = typeof message.title === 'string' && message.title ? message.title : '水守';
  const url = typeof message.url === 'string' && message.url.startsWith('/') ? message.url : '/';
  event.waitUntil(self.registration.showNotification(title, {
    body: typeof message.body === 'string' ? message.body : '',
    tag: typeof message.id === 'string' ? message.id : undefined,
    icon: ICON ? new URL(ICON, SCOPE).href : undefined,
    lang: lang(message),
    data: { url, kind: message.kind || '', stop: typeof message.stop_url === 'string' ? message.stop_url : '' },
    // A watch's message carries the recipient's stop link: offered as an action, as the mail offers it.
    actions: typeof message.stop_url === 'string' && /^https?:\/\//.test(message.stop_url)
      ? [{ action: 'stop', title: lang(message) === 'en' ? 'Stop these messages' : '配信停止' }] : [],
  }));
});

const ICON = PRECACHE.find((p) => p.includes('icon-192'));
// A message's language: Japanese when its title has kana or kanji (the server writes each in its recipient's).
const lang = (message) => (/[\u3040-\u30ff\u4e00-\u9fff]/.test(message.title || '') ? 'ja' : 'en');

// A tap on the notification opens its screen: in a window of the app that is already open, else a new one.
// Only paths of this origin are opened (a message cannot send the resident elsewhere), except the stop link of
// a watch's message, which is the server's own public URL.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  if (event.action === 'stop' && data.stop) {  // 配信停止: the stop link's own confirmation page
    event.waitUntil(self.clients.openWindow(data.stop));
    return;
  }
  // "/#/notices" is the app's route under its scope (the portal may live under a path).
  const path = data.url || '/';
  const target = new URL(path.replace(/^\//, ''), SCOPE).href;
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
    for (const w of windows) {
      if (new URL(w.url).origin === self.location.origin && 'navigate' in w) {
        return w.navigate(target).then((c) => (c || w).focus());
      }
    }
    return self.clients.openWindow(target);
  }));
});
