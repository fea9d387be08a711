/* global URL, setTimeout */
// Load generator for bench-prompts.ts, in a child process so that building requests and reading
// responses neither shares the server's event loop nor counts in its CPU time.
// Plain CommonJS, Node built-ins only.
const http = require('node:http');

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
let target;

function get(path, token) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, method: 'GET', path, headers, agent },
      (res) => {
        let bytes = 0;
        res.on('data', (c) => (bytes += c.length));
        res.on('end', () => resolve({ status: res.statusCode, bytes }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const pick = (list, n) => (list.length ? list[(n * 7919) % list.length] : undefined);

/** Closed loop: `concurrency` requests always in flight for `seconds`: the maximum rate. */
async function throughput({ path, tokens, concurrency, seconds }) {
  let done = 0;
  let failures = 0;
  let n = 0;
  const started = process.hrtime.bigint();
  const deadline = Number(started) / 1e6 + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Number(process.hrtime.bigint()) / 1e6 < deadline) {
        const res = await get(path, pick(tokens, n++)).catch(() => ({ status: 0 }));
        if (res.status !== 200) failures += 1;
        done += 1;
      }
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, requests: done, failures };
}

/** Open loop: requests leave on schedule at `rate` per second, whether or not earlier ones returned. */
async function latency({ path, tokens, rate, seconds }) {
  const latencies = [];
  let failures = 0;
  let sent = 0;
  const inFlight = new Set();
  const started = process.hrtime.bigint();
  const total = Math.round(rate * seconds);
  await new Promise((resolve) => {
    const tick = () => {
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      const due = Math.min(total, Math.floor(elapsed * rate));
      while (sent < due) {
        const n = sent++;
        const t0 = process.hrtime.bigint();
        const p = get(path, pick(tokens, n))
          .then((res) => {
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            if (res.status !== 200) failures += 1;
          })
          .catch(() => (failures += 1))
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      if (sent >= total) Promise.all([...inFlight]).then(resolve);
      else setTimeout(tick, 1);
    };
    tick();
  });
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, latencies, failures, requests: sent };
}

process.once('message', (data) => {
  target = new URL(data.url);
  const job = data.mode === 'throughput' ? throughput(data) : latency(data);
  const reply = (message) => process.send(message, () => process.exit(0));
  job.then(
    (result) => reply({ ok: true, result }),
    (error) => reply({ ok: false, error: String(error && error.stack ? error.stack : error) }),
  );
});
