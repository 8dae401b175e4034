// Shared by the node test harnesses (tests/e2e, tests/api): the base URL a `mizumori serve --listen
// 127.0.0.1:0` child prints once it listens ("serving on http://127.0.0.1:PORT/"), without the trailing slash,
// and log(): everything the child wrote to stderr so far. Rejects with the child's output when it exits first or
// does not start within 20 s.
export function servingUrl(proc) {
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + out + log)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(timer); resolve({ url: m[1], log: () => log }); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${out}${log}`)); });
  });
}
