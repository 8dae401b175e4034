// Shared by the API tests: load docs/openapi.yaml, start a real mizumori server (demo data, test mode, cheap
// password hashing, Bearer tokens for ingest/import) on a free loopback port, and log in as the demo resident.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { servingUrl } from '../common/serve.mjs';

export const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
export const specPath = join(root, 'docs', 'openapi.yaml');

export function loadSpec() {
  return YAML.parse(readFileSync(specPath, 'utf8'));
}

export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];

// Every (method, path, operation) of the spec.
export function operations(spec) {
  const out = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const m of METHODS) if (item[m]) out.push({ method: m.toUpperCase(), path, op: item[m], item });
  }
  return out;
}

export const DEMO = { email: 'demo@mizumori.example', password: 'mizumori-demo-2026', cn: '00000008002' };

function cli(binary, args) {
  const r = spawnSync(binary, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mizumori ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

// Starts `mizumori serve` on demo data. The answer: {url, data, tokens: {ingest, import}, log(), stop()}.
export async function startServer() {
  const binary = process.env.MIZU_BINARY;
  if (!binary) throw new Error('MIZU_BINARY must be set (run through ctest, or MIZU_BINARY=/path/to/mizumori)');
  const data = mkdtempSync(join(tmpdir(), 'mizu-api-data-'));
  cli(binary, ['demo-data', '--data', data]);
  const tokens = {};
  for (const scope of ['ingest', 'import']) {
    const out = cli(binary, ['token', 'create', '--scope', scope, '--label', 'api-tests', '--data', data]).trim();
    tokens[scope] = out.split('\n').pop().trim();
  }
  // The static catch-all exists only with a web folder: the real dist when given, else a one-file stand-in.
  let web = process.env.MIZU_WEB_DIR;
  if (!web) {
    web = join(data, 'web');
    mkdirSync(web);
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>mizumori api tests</title>\n');
  }
  const config = join(data, 'config.json');
  writeFileSync(config, JSON.stringify({ test_mode: true, auth: { scrypt_log2_n: 4 } }));
  const proc = spawn(binary, ['serve', '--config', config, '--listen', '127.0.0.1:0', '--data', data, '--web', web],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const served = await servingUrl(proc);
  const url = served.url;
  return {
    url,
    data,
    tokens,
    log: served.log,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

// Logs in as the demo resident; answers the Cookie header value.
export async function login(url, who = DEMO) {
  const res = await fetch(url + '/api/v1/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: url },
    body: JSON.stringify({ email: who.email, password: who.password, remember: false }),
  });
  if (res.status !== 200) throw new Error(`demo login: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie')])
    .map((c) => c.split(';')[0]).find((c) => c.startsWith('mizu_session='));
  if (!cookie) throw new Error('demo login set no mizu_session cookie');
  return cookie;
}
