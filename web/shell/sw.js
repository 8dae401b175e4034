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
