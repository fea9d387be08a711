/* global URL, Buffer */
// Sender for the webhook and scale benchmarks, a child process of its own so that sending and
// reading answers is neither on the server's event loop nor in its CPU time. Bodies and
// Stripe-Signature headers arrive pre-signed over IPC: { urls, deliveries, senders }; delivery i goes
// to urls[deliveries[i].to ?? i % urls.length]. Plain CommonJS, Node built-ins only.
const http = require('node:http');

let agent;

function post(target, body, signature) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path: '/webhooks/stripe',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'stripe-signature': signature,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run({ urls, deliveries, senders }) {
  const targets = urls.map((url) => new URL(url));
  agent = new http.Agent({ keepAlive: true, maxSockets: senders });
  let next = 0;
  let accepted = 0;
  let duplicates = 0;
  const failures = {};
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (next < deliveries.length) {
        const index = next++;
        const { body, signature, to } = deliveries[index];
        const res = await post(targets[to ?? index % targets.length], body, signature);
        if (res.status === 200) {
          accepted += 1;
          if (JSON.parse(res.text).duplicate) duplicates += 1;
        } else {
          const key = `${res.status} ${res.text.slice(0, 120)}`;
          failures[key] = (failures[key] || 0) + 1;
        }
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { seconds, accepted, duplicates, failures };
}

process.on('message', (work) => {
  run(work).then(
    (result) => process.send(result, () => process.exit(0)),
    (error) => process.send({ error: String(error && error.stack ? error.stack : error) }, () => process.exit(1)),
  );
});
