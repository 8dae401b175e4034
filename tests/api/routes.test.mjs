// docs/openapi.yaml and the server's routes agree: (a) statically, every (method, path) registered in
// backend/src/http/*.cpp is in the spec and every spec operation is registered; (b) live, every spec operation
// reaches a handler of the real server (never the 404 `not_found` of an unknown route).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, loadSpec, operations, startServer, login, DEMO } from './harness.mjs';

const httpDir = join(root, 'backend', 'src', 'http');

// A C++ string expression: string literals ("…", R"(…)"), identifiers and `+`, up to the first top-level comma.
function evalExpr(expr, consts, where) {
  let out = '';
  const re = /\s*(?:R"\(([\s\S]*?)\)"|"((?:[^"\\]|\\.)*)"|([A-Za-z_]\w*))\s*(\+|$)/y;
  let m;
  let pos = 0;
  re.lastIndex = 0;
  while (pos < expr.length && (m = re.exec(expr))) {
    if (m[1] !== undefined) out += m[1];
    else if (m[2] !== undefined) out += m[2].replace(/\\(.)/g, '$1');
    else if (consts.has(m[3])) out += consts.get(m[3]);
    else throw new Error(`${where}: cannot resolve ${m[3]} in route expression ${expr}`);
    pos = re.lastIndex;
    if (!m[4]) break;
  }
  if (pos !== expr.length) throw new Error(`${where}: cannot read route expression ${expr}`);
  return out;
}

// The first argument of a call starting at `src[i]` (just after the parenthesis).
function firstArg(src, i) {
  let depth = 0;
  for (let j = i; j < src.length; j++) {
    if (src.startsWith('R"(', j)) { j = src.indexOf(')"', j) + 1; continue; }
    if (src[j] === '"') { j++; while (src[j] !== '"') { if (src[j] === '\\') j++; j++; } continue; }
    if (src[j] === '(') depth++;
    else if (src[j] === ')') { if (depth === 0) return src.slice(i, j); depth--; }
    else if (src[j] === ',' && depth === 0) return src.slice(i, j);
  }
  throw new Error('unterminated call');
}

export function cppRoutes() {
  const consts = new Map();
  const hpp = readFileSync(join(httpDir, 'routes.hpp'), 'utf8');
  for (const m of hpp.matchAll(/constexpr\s+const\s+char\s*\*\s*(\w+)\s*=\s*("(?:[^"\\]|\\.)*")\s*;/g)) {
    consts.set(m[1], evalExpr(m[2], consts, 'routes.hpp'));
  }
  // Every source file of the http room: a route registered in any of them (observe.cpp's /metrics) counts.
  const files = readdirSync(httpDir).filter((f) => f.endsWith('.cpp'));
  const routes = [];
  for (const f of files) {
    const src = readFileSync(join(httpDir, f), 'utf8');
    const local = new Map(consts);
    for (const m of src.matchAll(/const\s+std::string\s+(\w+)\s*=\s*([^;]+);/g)) {
      try { local.set(m[1], evalExpr(m[2].trim(), local, f)); } catch { /* not a path constant */ }
    }
    for (const m of src.matchAll(/\b(?:server|s)\.(Get|Post|Put|Delete|Patch|Options)\(/g)) {
      const arg = firstArg(src, m.index + m[0].length).trim();
      routes.push({ method: m[1].toUpperCase(), pattern: evalExpr(arg, local, f), file: f });
    }
  }
  return routes;
}

// `/api/v1/contracts/([^/]+)/notices/([0-9]{1,18})/read` → `/api/v1/contracts/{}/notices/{}/read`; the static
// catch-all `.*` → `/{}` (the spec's `/{path}` with x-mizu-catch-all).
export function normCpp(pattern) {
  if (pattern === '.*') return '/{}';
  const out = pattern.replace(/\((?:[^()\\]|\\.)*\)/g, '{}');
  if (/[()[\]*+?^$|\\]/.test(out)) throw new Error(`route pattern with regex outside a group: ${pattern}`);
  return out;
}
export const normSpec = (path) => path.replace(/\{[^}]+\}/g, '{}');

// observe.cpp's kRouteWords: the literal segments a metrics/log route label may keep (any other is {id}).
test('every literal segment of an /api route is one of observe.cpp\'s route words, and the list is sorted', () => {
  const src = readFileSync(join(httpDir, 'observe.cpp'), 'utf8');
  const block = src.match(/kRouteWords\[\] = \{([^}]*)\}/);
  assert.ok(block, 'kRouteWords not found in observe.cpp');
  const words = [...block[1].matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  assert.ok(words.length > 20, `only ${words.length} route words`);
  assert.deepEqual(words, [...words].sort(), 'kRouteWords must be sorted (binary search)');
  const missing = new Set();
  let checked = 0;
  for (const r of cppRoutes()) {
    const path = normCpp(r.pattern);
    if (!path.startsWith('/api/')) continue;
    for (const seg of path.split('/').slice(1)) {
      if (seg === '{}') continue;
      checked++;
      if (!words.includes(seg)) missing.add(`${seg} (${r.method} ${path})`);
    }
  }
  assert.ok(checked > 100, `only ${checked} segments checked`);
  assert.deepEqual([...missing], [], 'route segments missing from kRouteWords');
});

test('every C++ route is in docs/openapi.yaml and every spec operation is a C++ route', () => {
  const spec = loadSpec();
  const cpp = cppRoutes();
  assert.ok(cpp.length >= 40, `found only ${cpp.length} routes in the C++ files — is the extractor broken?`);
  const cppKeys = cpp.map((r) => `${r.method} ${normCpp(r.pattern)}`);
  const dup = cppKeys.filter((k, i) => cppKeys.indexOf(k) !== i);
  assert.deepEqual(dup, [], 'a route registered twice');
  const specKeys = operations(spec).map((o) => `${o.method} ${normSpec(o.path)}`);
  const missing = [...new Set(cppKeys)].filter((k) => !specKeys.includes(k)).sort();
  const extra = specKeys.filter((k) => !cppKeys.includes(k)).sort();
  assert.deepEqual(missing, [], 'routes of the server missing from docs/openapi.yaml');
  assert.deepEqual(extra, [], 'operations of docs/openapi.yaml the server does not register');
  // Path parameters: one spec parameter per C++ capture group, in order.
  for (const o of operations(spec)) {
    const names = [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const params = [...(o.item.parameters || []), ...(o.op.parameters || [])]
      .map((p) => (p.$ref ? spec.components.parameters[p.$ref.split('/').pop()] : p))
      .filter((p) => p.in === 'path').map((p) => p.name);
    assert.deepEqual([...params].sort(), [...names].sort(), `${o.method} ${o.path}: path parameters`);
  }
  console.log(`${cppKeys.length} C++ routes = ${specKeys.length} spec operations`);
});

let server;
let cookie;
before(async () => {
  server = await startServer();
  cookie = await login(server.url);
});
after(async () => { if (server) await server.stop(); });

// A request that reaches each operation's handler without changing the demo data much.
function probe(o, url, noticeId) {
  const path = o.path
    .replace('{cn}', DEMO.cn).replace('{id}', String(noticeId)).replace('{year}', '2026').replace('{path}', 'index.html').replace('{account_id}', '1').replace('{kiosk_id}', '1').replace('{reading_date}', '2026-11-18');
  const headers = {};
  const sec = o.op.security || [];
  if (sec.some((s) => 'session' in s)) headers.Cookie = cookie;
  if (sec.some((s) => 'ingestToken' in s)) headers.Authorization = `Bearer ${server.tokens.ingest}`;
  if (sec.some((s) => 'importToken' in s)) headers.Authorization = `Bearer ${server.tokens.import}`;
  let body;
  if (o.method !== 'GET') {
    headers.Origin = url;
    const types = Object.keys(o.op.requestBody?.content || (o.op.requestBody?.$ref ? { 'text/csv': 1 } : {}));
    if (o.op.requestBody?.$ref?.endsWith('/LoginId')) { headers['Content-Type'] = 'application/json'; body = '{}'; }
    else if (types.includes('application/json')) { headers['Content-Type'] = 'application/json'; body = o.path.endsWith('/readings') ? '[]' : '{}'; }
    else if (types.includes('text/csv')) { headers['Content-Type'] = 'text/csv'; body = ''; }
  }
  // Do not end the session we use (logout answers 204 without one too); do not withdraw (the body lacks a password).
  if (o.path === '/api/v1/logout') delete headers.Cookie;
  return { path, init: { method: o.method, headers, body } };
}

test('every spec operation reaches a handler of the real server', async () => {
  const spec = loadSpec();
  const notices = await (await fetch(server.url + '/api/v1/notices', { headers: { Cookie: cookie } })).json();
  const noticeId = notices.notices?.[0]?.id ?? 1;
  const seen = [];
  for (const o of operations(spec)) {
    const { path, init } = probe(o, server.url, noticeId);
    const res = await fetch(server.url + path, init);
    const text = await res.text();
    let code = null;
    try { code = JSON.parse(text)?.error?.code ?? null; } catch { /* HTML or empty */ }
    seen.push(`${o.method} ${path} → ${res.status}${code ? ' ' + code : ''}`);
    assert.ok(res.status < 500, `${o.method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    assert.ok(!(res.status === 404 && code === 'not_found'), `${o.method} ${path}: the server has no such route`);
  }
  console.log(seen.join('\n'));
});
