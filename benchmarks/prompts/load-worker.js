/* global URL, setTimeout, Buffer */
// Load generator for bench-prompts.ts, in a child process so that building requests and reading
// responses neither shares the server's event loop nor counts in its CPU time.
// Plain CommonJS, Node built-ins only.
//
// NOTE: HTTP/1.1 over raw keep-alive sockets with requests built once (like wrk or autocannon),
// not http.request: on two cores the generator shares the CPU with the server and PostgreSQL, and
// the less it spends per request the less of its own stalls the latencies carry.
const net = require('node:net');

let target;
const idle = [];
let open = 0;
const MAX_CONNECTIONS = 512;
const requests = new Map();

function requestBytes(path, token) {
  const key = `${path}\n${token ?? ''}`;
  let bytes = requests.get(key);
  if (!bytes) {
    const auth = token ? `Authorization: Bearer ${token}\r\n` : '';
    bytes = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${target.host}\r\n${auth}Connection: keep-alive\r\n\r\n`);
    requests.set(key, bytes);
  }
  return bytes;
}

/** One keep-alive connection: one request at a time, answers framed by Content-Length (or chunked). */
function connect() {
  open += 1;
  const socket = net.connect({ host: target.hostname, port: Number(target.port), noDelay: true });
  const conn = { socket, pending: null, data: Buffer.alloc(0) };
  socket.on('data', (chunk) => {
    conn.data = conn.data.length ? Buffer.concat([conn.data, chunk]) : chunk;
    const answer = parse(conn.data);
    if (!answer || !conn.pending) return;
    const { resolve } = conn.pending;
    conn.pending = null;
    conn.data = Buffer.alloc(0);
    idle.push(conn);
    resolve(answer);
  });
  const fail = (error) => {
    open -= 1;
    const index = idle.indexOf(conn);
    if (index >= 0) idle.splice(index, 1);
    if (conn.pending) conn.pending.reject(error ?? new Error('connection closed'));
    conn.pending = null;
  };
  socket.once('error', fail);
  socket.once('close', () => conn.pending && fail());
  return conn;
}

/** A complete answer in `data`: its status and size; null while bytes are missing. */
function parse(data) {
  const head = data.indexOf('\r\n\r\n');
  if (head < 0) return null;
  const header = data.toString('latin1', 0, head);
  const status = Number(header.slice(9, 12));
  const length = /\r\ncontent-length: *(\d+)/i.exec(header);
  if (length) {
    const total = head + 4 + Number(length[1]);
    return data.length >= total ? { status, bytes: total } : null;
  }
  if (/\r\ntransfer-encoding: *chunked/i.test(header))
    return data.indexOf('\r\n0\r\n\r\n', head) >= 0 ? { status, bytes: data.length } : null;
  return { status, bytes: data.length };
}

function get(path, token) {
  const conn = idle.pop() ?? (open < MAX_CONNECTIONS ? connect() : null);
  if (!conn) return Promise.reject(new Error('too many connections'));
  return new Promise((resolve, reject) => {
    conn.pending = { resolve, reject };
    conn.socket.write(requestBytes(path, token));
  });
}

/** Why requests failed, counted by reason ("status 429", "ECONNRESET"), so a FAILED figure says why. */
const reasons = new Map();
function noteFailure(res) {
  const reason = res.status ? `status ${res.status}` : (res.error?.code ?? res.error?.message ?? 'no answer');
  reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  return 1;
}
const failureReasons = () => [...reasons].map(([reason, count]) => `${reason} ×${count}`).join(', ');

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
        const res = await get(path, pick(tokens, n++)).catch((error) => ({ status: 0, error }));
        if (res.status !== 200) failures += noteFailure(res);
        done += 1;
      }
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, requests: done, failures, why: failureReasons() };
}

/**
 * Open loop: requests leave on schedule at `rate` per second, whether or not earlier ones returned.
 * The first `warmupSeconds` run the same schedule unrecorded: this process starts cold (its code
 * not yet compiled, no connection open) and would otherwise charge its own start to the server.
 */
async function latency({ path, tokens, rate, seconds, warmupSeconds = 0 }) {
  const latencies = [];
  let failures = 0;
  let sent = 0;
  const inFlight = new Set();
  const started = process.hrtime.bigint();
  const unrecorded = Math.round(rate * warmupSeconds);
  const total = unrecorded + Math.round(rate * seconds);
  await new Promise((resolve) => {
    const tick = () => {
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      const due = Math.min(total, Math.floor(elapsed * rate));
      while (sent < due) {
        const n = sent++;
        const t0 = process.hrtime.bigint();
        const p = get(path, pick(tokens, n))
          .then((res) => {
            if (n < unrecorded) return;
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            if (res.status !== 200) failures += noteFailure(res);
          })
          .catch((error) => n >= unrecorded && (failures += noteFailure({ status: 0, error })))
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      if (sent >= total) Promise.all([...inFlight]).then(resolve);
      else setTimeout(tick, 1);
    };
    tick();
  });
  return { latencies, failures, requests: sent - unrecorded, why: failureReasons() };
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
