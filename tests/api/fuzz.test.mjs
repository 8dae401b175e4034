// Property-based API fuzzer: for every operation of docs/openapi.yaml, fast-check builds requests — bodies and
// query parameters made by json-schema-faker from the operation's schemas, and mutated / garbage variants (wrong
// types, huge strings, control characters, unicode, broken JSON, wrong Content-Type) — and sends them to a real
// server, logged in as the demo resident. Every answer must be < 500, parse, and match (ajv) the spec's schema
// for its status. Counter-examples are saved to findings/*.json and replayed on every run; a finding marked
// `"known": true` is a recorded server bug: replayed and reported, not failed, and the fuzzer tolerates the same
// failure again until it is fixed (then delete the file or set "known": false to make it a regression case).
//
// Budget: MIZU_FUZZ_BUDGET_MS (default 25000) over all operations, MIZU_FUZZ_RUNS (default 60) runs at most per
// operation, seed MIZU_FUZZ_SEED (default 20261130).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { generateSync } from 'json-schema-faker';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { here, loadSpec, operations, startServer, login, DEMO } from './harness.mjs';

const BUDGET_MS = Number(process.env.MIZU_FUZZ_BUDGET_MS || 25000);
const MAX_RUNS = Number(process.env.MIZU_FUZZ_RUNS || 60);
const SEED = Number(process.env.MIZU_FUZZ_SEED || 20261130);
const findingsDir = join(here, 'findings');
const LIMIT = 1024 * 1024;  // the body limit of every route but ingest (docs/api.md)
const FORM_LIMIT = 8192;     // application/x-www-form-urlencoded bodies (the stop page's form; docs/api.md)

const spec = loadSpec();

// Local $refs inlined (the spec has no recursive schemas).
function deref(node, seen = []) {
  if (Array.isArray(node)) return node.map((n) => deref(n, seen));
  if (!node || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    if (seen.includes(node.$ref)) throw new Error('recursive $ref ' + node.$ref);
    const target = node.$ref.replace(/^#\//, '').split('/').reduce((o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
    return deref(target, [...seen, node.$ref]);
  }
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = deref(v, seen);
  return out;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validators = new Map();
// Answers may not carry undocumented fields: every object schema with `properties` (and no
// additionalProperties of its own) gets `unevaluatedProperties: false` — at the allOf level for composed ones.
function closed(schema, inAllOf = false) {
  if (Array.isArray(schema)) return schema.map((x) => closed(x, inAllOf));
  if (!schema || typeof schema !== 'object') return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'allOf') out[k] = v.map((x) => closed(x, true));
    else if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v).map(([n, x]) => [n, closed(x)]));
    else if (['items', 'additionalProperties', 'anyOf', 'oneOf'].includes(k)) out[k] = closed(v);
    else out[k] = v;
  }
  if (!inAllOf && (schema.properties || schema.allOf) && !('additionalProperties' in schema)) out.unevaluatedProperties = false;
  return out;
}

function validatorFor(schema) {
  const key = JSON.stringify(schema);
  if (!validators.has(key)) validators.set(key, ajv.compile(closed(schema)));
  return validators.get(key);
}

function authOf(op) {
  const sec = op.security || [];
  if (sec.some((s) => 'session' in s)) return 'session';
  if (sec.some((s) => 'ingestToken' in s)) return 'ingest';
  if (sec.some((s) => 'importToken' in s)) return 'import';
  return null;
}

// ---------- request arbitraries ----------

const control = fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), maxLength: 20 });
const unicode = fc.string({ unit: 'binary', maxLength: 40 });
const grapheme = fc.string({ unit: 'grapheme', maxLength: 40 });
const huge = fc.tuple(fc.constantFrom('a', 'あ', '0', '\u0000', '"', '😀'), fc.integer({ min: 1000, max: 200000 }))
  .map(([c, n]) => c.repeat(n));
const weirdString = fc.oneof(control, unicode, grapheme, huge,
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'null', 'true', '../../etc/passwd', '%00', '<script>', "' OR 1=1 --",
    '0-0000008002', '０００００００８００２', '99999999999999999999', '2026-02-30', '2026-11-22T07:30:00+09:00'));
const wrongValue = fc.oneof(weirdString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }));

function fake(schema, seed) {
  try {
    return generateSync(schema, { seed, alwaysFakeOptionals: false });
  } catch {
    return {};
  }
}

// A JSON body for a schema: faked from it, then maybe mutated.
function jsonBody(schema) {
  const valid = fc.integer({ min: 1, max: 2 ** 31 - 1 }).map((seed) => fake(schema, seed));
  const mutated = fc.tuple(valid, fc.array(fc.tuple(fc.string({ maxLength: 16 }), wrongValue), { minLength: 1, maxLength: 3 }), fc.boolean())
    .map(([v, muts, useKnown]) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
      const out = { ...v };
      const keys = Object.keys(schema.properties || {});
      for (const [k, val] of muts) out[useKnown && keys.length ? keys[Math.abs(k.length * 7919 + k.charCodeAt(0) || 0) % keys.length] : k] = val;
      return out;
    });
  const json = fc.oneof(
    { arbitrary: valid, weight: 4 },
    { arbitrary: mutated, weight: 4 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
    { arbitrary: fc.array(valid, { maxLength: 3 }), weight: schema.type === 'array' ? 0 : 1 },
  ).map((v) => ({ text: JSON.stringify(v) ?? 'null', type: 'application/json' }));
  const broken = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('{', '[', '{"a":', '{"a":1,}', '\uFEFF{}', '{"a":"\\ud800"}', '{"a":1e99999}', '[1,2', ''),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
  ).map((text) => ({ text, type: 'application/json' }));
  const wrongType = json.chain((b) => fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=Shift_JIS', null)
    .map((type) => ({ ...b, type })));
  // Bodies stay under the 1 MiB limit: a larger one is refused (413) before it is read, and the server closing
  // the connection mid-upload makes fetch fail; the 'oversized bodies' test checks that path with node:http.
  return fc.oneof({ arbitrary: json, weight: 8 }, { arbitrary: broken, weight: 2 }, { arbitrary: wrongType, weight: 1 })
    .filter((b) => Buffer.byteLength(b.text) < LIMIT - 4096);
}

// Text bodies (CSV, NDJSON, forms).
function textBody(type) {
  const csvCell = fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String), control, unicode,
    fc.constantFrom('M000123', '2026-11-22T07:00:00+09:00', '1234567', 'leak|backflow', '"', '""', '\r\n'));
  const csv = fc.tuple(
    fc.constantFrom('meter_id,at,register_l,alarms', 'customer_number,name', 'a,b', '', '"unterminated'),
    fc.array(fc.array(csvCell, { maxLength: 5 }).map((r) => r.join(',')), { maxLength: 6 }),
  ).map(([h, rows]) => [h, ...rows].join('\n'));
  const ndjson = fc.array(fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? ''), fc.string({ maxLength: 30 })), { maxLength: 6 })
    .map((l) => l.join('\n'));
  const raw = type === 'text/csv' ? csv : type === 'application/x-ndjson' ? ndjson
    : fc.string({ maxLength: 60 }).map((t) => 'token=' + encodeURIComponent(t));
  return fc.oneof(raw, fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')), huge)
    .map((text) => ({ text, type })).filter((b) => Buffer.byteLength(b.text) < LIMIT - 4096);
}

function pathValue(name, schema) {
  const known = { cn: [DEMO.cn, '0-0000008002', '０－００００００８００２', '00000008004', '00000000000'], id: ['1', '121', '999999999999999999'],
    year: ['2026', '1970', '2099', '1969', '2100', '-1', '0x7e6'], path: ['index.html', 'manifest.webmanifest', 'nope/x.js', 'a%00b'] }[name] || ['x'];
  const junk = name === 'id' ? fc.bigInt({ min: 0n, max: 10n ** 18n - 1n }).map(String) : weirdString.filter((s) => s.length < 3000);
  return fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, { arbitrary: junk, weight: 1 })
    .map((v) => (name === 'path' ? v : encodeURIComponent(v)));
}

function queryValue(schema) {
  return fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 2 ** 31 - 1 }).map((seed) => fake(schema, seed)).map((v) => String(v)), weight: 3 },
    { arbitrary: fc.constantFrom('2026-11-01', '2026-11-30', '2024-11-01', '2026-11-22T00:00:00+09:00', '2026-11-23T00:00:00+09:00', '2026-11-22T00:30:00+09:00', '2026-11-22T00:00:00Z', '1970-01-01', '9999-12-31'), weight: 2 },
    { arbitrary: weirdString.filter((s) => s.length < 3000), weight: 1 },
  );
}

function requestArb(o) {
  const params = [...(o.item.parameters || []), ...(o.op.parameters || [])].map((p) => deref(p));
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const pathArb = fc.record(Object.fromEntries(pathParams.map((p) => [p.name, pathValue(p.name, p.schema)])));
  const queryArb = fc.record(Object.fromEntries([
    ...queryParams.map((p) => [p.name, queryValue(deref(p.schema))]),
    ['lang', fc.constantFrom('ja', 'en', 'fr', '')],
  ]), { requiredKeys: [] });
  const rb = o.op.requestBody ? deref(o.op.requestBody) : null;
  let bodyArb = fc.constant(null);
  if (rb) {
    const choices = Object.entries(rb.content).map(([type, c]) => (type === 'application/json' ? jsonBody(c.schema) : textBody(type)));
    bodyArb = fc.oneof(...choices);
  } else if (o.method !== 'GET') {
    bodyArb = fc.oneof(fc.constant(null), jsonBody({ type: 'object' }));
  }
  // CSRF: state-changing requests carry an Origin matching the server, or none (both allowed).
  return fc.record({ pathParams: pathArb, query: queryArb, body: bodyArb, accept: fc.constantFrom(null, 'application/json', 'text/html'), noOrigin: fc.boolean() });
}

// ---------- sending and checking ----------

let server;
let cookie;

function buildUrl(o, req) {
  let path = o.path;
  for (const [k, v] of Object.entries(req.pathParams)) path = path.replace(`{${k}}`, v);
  const qs = new URLSearchParams(Object.entries(req.query).filter(([, v]) => v !== undefined)).toString();
  return path + (qs ? '?' + qs : '');
}

async function send(o, req) {
  const headers = {};
  const auth = authOf(o.op);
  if (auth === 'session') headers.Cookie = cookie;
  if (auth === 'ingest') headers.Authorization = `Bearer ${server.tokens.ingest}`;
  if (auth === 'import') headers.Authorization = `Bearer ${server.tokens.import}`;
  if (req.accept) headers.Accept = req.accept;
  if (o.method !== 'GET' && !req.noOrigin) headers.Origin = server.url;
  let body;
  if (req.body) {
    body = req.body.text;
    if (req.body.type) headers['Content-Type'] = req.body.type;
  }
  const url = buildUrl(o, req);
  const res = await fetch(server.url + url, { method: o.method, headers, body, redirect: 'manual' });
  const text = await res.text();
  if (o.path === '/api/v1/test/clock') {  // back to real time at once: sessions must not expire under us
    await (await fetch(server.url + '/api/v1/test/clock', { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: server.url }, body: '{"now":null}' })).text();
  }
  return { status: res.status, type: res.headers.get('content-type') || '', text, url, bytes: body === undefined ? 0 : Buffer.byteLength(body),
           form: /^application\/x-www-form-urlencoded/i.test(headers['Content-Type'] || '') };
}

// null when the answer is right, else {kind, detail}.
function check(o, r) {
  if (r.status >= 500) return { kind: '5xx', detail: `${r.status} ${r.text.slice(0, 300)}` };
  // docs/api.md: 413 only for a body over 1 MiB (32 MiB for ingest; 8 KiB for a url-encoded form body).
  const limit = r.form ? FORM_LIMIT : o.path === '/api/v1/ingest/readings' ? 32 * LIMIT : LIMIT;
  if (r.status === 413 && r.bytes !== undefined && r.bytes <= limit) {
    return { kind: 'status', key: '413-under-limit', detail: `413 for a body of ${r.bytes} bytes (limit ${limit}): ${r.text.slice(0, 200)}` };
  }
  const resp = deref(o.op.responses[String(r.status)] || o.op.responses.default);
  if (!resp) return { kind: 'status', detail: `status ${r.status} not in the spec` };
  if ([204, 304].includes(r.status) || r.text === '') {
    if (r.text !== '' && ![204, 304].includes(r.status)) return null;
    if (r.text === '' && resp.content && Object.keys(resp.content).every((t) => t === 'application/json') && ![204, 304].includes(r.status)) {
      return { kind: 'schema', detail: `${r.status} with an empty body; the spec promises JSON` };
    }
    return null;
  }
  const type = r.type.split(';')[0].trim().toLowerCase();
  const content = resp.content || {};
  if (type === 'application/json') {
    let json;
    try { json = JSON.parse(r.text); } catch (e) { return { kind: 'unparsable', detail: `${r.status} JSON does not parse: ${e.message}: ${r.text.slice(0, 200)}` }; }
    const c = content['application/json'] || content['*/*'];
    if (!c) return { kind: 'schema', detail: `${r.status} answered JSON; the spec has ${Object.keys(content).join(', ') || 'no body'}` };
    if (!c.schema) return null;
    const v = validatorFor(c.schema);
    if (!v(json)) {
      const e = v.errors[0];
      return { kind: 'schema', key: `${e.instancePath} ${e.keyword}`, detail: `${r.status}: ${ajv.errorsText(v.errors.slice(0, 5))}: ${r.text.slice(0, 300)}` };
    }
    return null;
  }
  if (!content[type] && !content['*/*']) return { kind: 'schema', detail: `${r.status} answered ${type}; the spec has ${Object.keys(content).join(', ') || 'no body'}` };
  return null;
}

// ---------- findings ----------

function loadFindings() {
  if (!existsSync(findingsDir)) return [];
  return readdirSync(findingsDir).filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: f, ...JSON.parse(readFileSync(join(findingsDir, f), 'utf8')) }));
}
const signature = (operationId, status, p) => `${operationId} ${status} ${p.kind} ${p.key || ''}`;
// A known finding's signature may name every operation with `*`.
const isKnown = (known, operationId, status, p) =>
  known.has(signature(operationId, status, p)) || known.has(signature('*', status, p));

function saveFinding(o, req, r, problem) {
  mkdirSync(findingsDir, { recursive: true });
  const request = { method: o.method, url: buildUrl(o, req), auth: authOf(o.op), accept: req.accept, body: req.body };
  const id = createHash('sha256').update(JSON.stringify(request)).digest('hex').slice(0, 12);
  const file = `${o.op.operationId}-${id}.json`;
  const f = {
    known: false,
    operationId: o.op.operationId,
    request,
    found: { status: r.status, problem: problem.kind, key: problem.key || '', detail: problem.detail, seed: SEED },
    signature: signature(o.op.operationId, r.status, problem),
  };
  writeFileSync(join(findingsDir, file), JSON.stringify(f, null, 2) + '\n');
  return file;
}

before(async () => {
  server = await startServer();
  cookie = await login(server.url);
});
after(async () => { if (server) await server.stop(); });

const ops = operations(spec);
const byId = new Map(ops.map((o) => [o.op.operationId, o]));

test('findings replay: regression cases pass, known server bugs are reported', async () => {
  for (const f of loadFindings()) {
    const o = byId.get(f.operationId);
    assert.ok(o, `${f.file}: no operation ${f.operationId}`);
    // A body may be written as {prefix, repeat, times, suffix, type} to keep the file small.
    const b = f.request.body;
    const body = b && b.repeat !== undefined ? { text: (b.prefix || '') + b.repeat.repeat(b.times) + (b.suffix || ''), type: b.type } : b;
    const req = { pathParams: {}, query: {}, body, accept: f.request.accept };
    const [path, qs] = f.request.url.split('?');
    const r = await send({ ...o, path }, { ...req, query: Object.fromEntries(new URLSearchParams(qs || '')) });
    let problem = check(o, r);
    if (!problem && f.expect_status && !f.expect_status.includes(r.status)) {
      problem = { kind: 'status', detail: `${r.status} (expected ${f.expect_status.join(' or ')}): ${r.text.slice(0, 200)}` };
    }
    if (f.known) {
      console.log(`${f.file}: known server bug — ${problem ? 'still fails: ' + problem.detail.slice(0, 200) : 'NOW PASSES: set "known": false to keep it as a regression case'}`);
    } else {
      assert.equal(problem, null, `${f.file}: ${problem?.detail}`);
    }
  }
});

// A body over the limit is refused from its declared length before it is read (docs/api.md, 413): send the
// head only and read the answer.
function headOnly(path, headers) {
  return new Promise((resolve, reject) => {
    const u = new URL(server.url + path);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'] || '', text }));
    });
    req.on('error', reject);
    req.flushHeaders();  // the body never comes
  });
}

test('oversized bodies: 413 payload_too_large from the declared length, as the spec says', async () => {
  for (const o of ops.filter((x) => x.method !== 'GET')) {
    const path = o.path.replace('{cn}', DEMO.cn).replace('{id}', '1');
    const big = o.path === '/api/v1/ingest/readings' ? 32 * LIMIT + 1 : LIMIT + 1;
    const headers = { 'Content-Type': 'application/json', 'Content-Length': String(big), Origin: server.url };
    const auth = authOf(o.op);
    if (auth === 'session') headers.Cookie = cookie;
    if (auth === 'ingest') headers.Authorization = `Bearer ${server.tokens.ingest}`;
    if (auth === 'import') headers.Authorization = `Bearer ${server.tokens.import}`;
    const r = await headOnly(path, headers);
    assert.equal(r.status, 413, `${o.method} ${path} with Content-Length ${big}: ${r.status} ${r.text.slice(0, 200)}`);
    assert.equal(check(o, r), null, `${o.method} ${path}: ${check(o, r)?.detail}`);
    assert.equal(JSON.parse(r.text).error.code, 'payload_too_large');
  }
});

test('fuzz every operation against the real server', async () => {
  const known = new Set(loadFindings().filter((f) => f.known).map((f) => f.signature));
  // Operations that would end the session the fuzzer runs in are sent without it.
  const perOpMs = Math.floor(BUDGET_MS / ops.length);
  const failures = [];
  let total = 0;
  let tolerated = 0;
  const statuses = {};
  for (const o of ops) {
    const target = o.path === '/api/v1/logout' ? { ...o, op: { ...o.op, security: [] } } : o;
    let runs = 0;
    const property = fc.asyncProperty(requestArb(o), async (req) => {
      runs++;
      const r = await send(target, req);
      statuses[r.status] = (statuses[r.status] || 0) + 1;
      if (process.env.MIZU_FUZZ_DEBUG && r.status === Number(process.env.MIZU_FUZZ_DEBUG)) console.log(`${o.method} ${r.url.slice(0, 120)} (${req.body ? Buffer.byteLength(req.body.text) : 0} bytes) → ${r.status} ${r.text.slice(0, 120)}`);
      const p = check(o, r);
      if (p && isKnown(known, o.op.operationId, r.status, p)) { tolerated++; return true; }
      if (p) throw new Error(`${o.method} ${r.url} → ${p.detail}`);
      return true;
    });
    const out = await fc.check(property, {
      seed: SEED, numRuns: MAX_RUNS, interruptAfterTimeLimit: perOpMs, markInterruptAsFailure: false, endOnFailure: false,
    });
    total += runs;
    if (out.failed && !out.counterexample) {
      // No failing input: fast-check gave up (interrupted by the time budget on a loaded machine, or too many
      // skipped runs). Not a server finding; a run that executed nothing is still caught by `total` below.
      if (!out.interrupted) failures.push(`${o.method} ${o.path}: fast-check failed without a counterexample: ${out.errorInstance?.message || out.error}`);
      else console.log(`fuzz: ${o.method} ${o.path} interrupted after ${runs} runs`);
    } else if (out.failed) {
      const req = out.counterexample[0];
      const r = await send(target, req);
      const p = check(o, r) || { kind: 'flaky', detail: String(out.errorInstance?.message || out.error) };
      const file = saveFinding(o, req, r, p);
      failures.push(`${o.method} ${o.path}: ${p.detail.slice(0, 400)} (saved findings/${file})`);
    }
    if (!server.alive()) { failures.push(`the server died during ${o.method} ${o.path}:\n${server.log().slice(-2000)}`); break; }
  }
  console.log(`fuzz: ${ops.length} operations, ${total} requests, seed ${SEED}, statuses ${JSON.stringify(statuses)}, tolerated known findings ${tolerated}`);
  assert.deepEqual(failures, []);
  assert.ok(total >= ops.length, `fuzz ran ${total} requests for ${ops.length} operations`);
});
