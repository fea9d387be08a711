/* global URL, Buffer, setTimeout, clearTimeout */
// Load generator for bench-usage.ts, run in a worker thread so that building requests and
// reading responses does not compete with the server for the main event loop.
// Plain CommonJS with Node built-ins only: no TypeScript loader is needed inside the worker.
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const target = new URL(workerData.url);

function send(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, method, path, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body) req.end(body);
    else req.end();
  });
}

/** (a) batches of `batchSize` events, `senders` requests in flight, as fast as the server takes them. */
async function ingest({ serverKey, accounts, totalEvents, batchSize, senders, runId, accountsPerBatch }) {
  const now = new Date().toISOString();
  const bodies = [];
  for (let start = 0; start < totalEvents; start += batchSize) {
    const events = [];
    for (let i = start; i < Math.min(start + batchSize, totalEvents); i += 1) {
      // Each batch carries the events of `accountsPerBatch` accounts; batches rotate through all accounts.
      const batch = Math.floor(i / batchSize);
      const account = accounts[(batch * accountsPerBatch + (i % accountsPerBatch)) % accounts.length];
      const gauge = i % 10 === 9;
      events.push({
        id: `${runId}_${i}`,
        account_id: account,
        feature: gauge ? 'projects' : i % 3 === 0 ? 'exports' : 'api_calls',
        quantity: gauge ? i % 3 : 1,
        action: gauge ? 'set' : 'increment',
        timestamp: now,
      });
    }
    bodies.push(JSON.stringify({ events }));
  }
  const headers = { authorization: `Bearer ${serverKey}`, 'content-type': 'application/json' };
  let next = 0;
  let accepted = 0;
  let failures = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const res = await send('POST', '/v1/usage', { ...headers, 'content-length': Buffer.byteLength(body) }, body);
        if (res.status !== 200) failures += 1;
        else accepted += JSON.parse(res.text).accepted;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, accepted, failures, requests: bodies.length };
}

/**
 * (c) an open-loop steady rate: requests leave on schedule whether or not earlier ones returned.
 * The first `warmupSeconds` run the same schedule unrecorded: this worker starts cold (its code not
 * yet compiled, no connection open) and would otherwise charge its own start to the server.
 */
async function latency({ tokens, features, rate, durationSeconds, warmupSeconds = 0 }) {
  const latencies = [];
  let failures = 0;
  let sent = 0;
  /** Requests not yet answered, by their number. */
  const inFlight = new Map();
  const started = process.hrtime.bigint();
  const unrecorded = Math.round(rate * warmupSeconds);
  const total = unrecorded + Math.round(rate * durationSeconds);
  await new Promise((resolve) => {
    const tick = () => {
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      const due = Math.min(total, Math.floor(elapsed * rate));
      while (sent < due) {
        const n = sent++;
        const token = tokens[n % tokens.length];
        const feature = features[n % features.length];
        const t0 = process.hrtime.bigint();
        const p = send('GET', `/v1/entitlements/${feature}`, { authorization: `Bearer ${token}` })
          .then((res) => {
            if (n < unrecorded) return;
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            if (res.status !== 200) failures += 1;
          })
          .catch(() => n >= unrecorded && (failures += 1))
          .finally(() => inFlight.delete(p));
        inFlight.set(p, n);
      }
      if (sent < total) return void setTimeout(tick, 1);
      // Bounded: whatever has not answered 10 s after the last request left counts as timed out.
      const deadline = setTimeout(resolve, 10000);
      Promise.all([...inFlight.keys()]).then(() => {
        clearTimeout(deadline);
        resolve();
      });
    };
    tick();
  });
  const timedOut = [...inFlight.values()].filter((n) => n >= unrecorded).length;
  return { latencies, failures, timedOut, requests: sent - unrecorded };
}

const job = workerData.mode === 'ingest' ? ingest(workerData) : latency(workerData);
job.then(
  (result) => parentPort.postMessage({ ok: true, result }),
  (error) => parentPort.postMessage({ ok: false, error: String(error && error.stack ? error.stack : error) }),
);
