import http from 'node:http';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import winston from 'winston';
import { createExpressServer, type ExpressServer } from '../../src/shared/http/express-server';
import { requestContext } from '../../src/shared/http/request-context';

let served: ExpressServer | undefined;
let agent: http.Agent | undefined;
afterEach(async () => {
  agent?.destroy();
  agent = undefined;
  const server = served?.server;
  served = undefined;
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function start(): Promise<{ url: string; server: ExpressServer }> {
  served = createExpressServer((_req, res) => {
    res.writeHead(503, { 'Content-Type': 'application/json' });
    res.end('{"error":{"code":"starting"}}');
  });
  const server = served.server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server: served };
}

/** GETs on one kept-alive connection. */
function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  agent ??= new http.Agent({ keepAlive: true, maxSockets: 1 });
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

describe('createExpressServer', () => {
  it('answers with the initial handler until an app is served, then with the app', async () => {
    const { url, server } = await start();
    expect(await get(`${url}/hello`)).toMatchObject({ status: 503, body: '{"error":{"code":"starting"}}' });
    const app = express();
    app.get('/hello', (req, res) => {
      res.json({ greeting: 'hi', accept: req.get('accept') ?? null });
    });
    server.serve(app);
    const answer = await get(`${url}/hello`, { Accept: 'application/json' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body)).toEqual({ greeting: 'hi', accept: 'application/json' });
    expect(() => server.serve(express())).toThrow(/already serves an app/);
    expect((await get(`${url}/hello`)).status).toBe(200);
  });

  it("gives requests and responses the app's prototypes at birth, before Express sees them", async () => {
    const { url, server } = await start();
    const app = express();
    const inside: boolean[] = [];
    app.get('/shape', (req, res) => {
      inside.push(req.app === app && res.app === app);
      res.send('ok');
    });
    server.serve(app);
    const born: boolean[] = [];
    // NOTE: a listener ahead of the handler sees the objects as Node made them, before app.handle.
    server.server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      born.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
    });
    for (let i = 0; i < 3; i += 1) expect((await get(`${url}/shape`)).body).toBe('ok');
    expect(born).toEqual([true, true, true]);
    expect(inside).toEqual([true, true, true]);
    expect(Object.getPrototypeOf(app.request)).toBe(express.request);
    expect(Object.getPrototypeOf(app.response)).toBe(express.response);
  });

  it('keeps mounted sub-apps working: inside them req.app is the sub-app, after them the app again', async () => {
    const { url, server } = await start();
    const app = express();
    const admin = express();
    admin.get('/who', (req, res) => {
      res.json({ app: req.app === admin ? 'admin' : 'other', base: req.baseUrl });
    });
    app.use('/admin', admin);
    app.get('/who', (req, res) => {
      res.json({ app: req.app === app ? 'main' : 'other', base: req.baseUrl });
    });
    server.serve(app);
    expect(JSON.parse((await get(`${url}/admin/who`)).body)).toEqual({ app: 'admin', base: '/admin' });
    expect(JSON.parse((await get(`${url}/who`)).body)).toEqual({ app: 'main', base: '' });
  });
});

/** Log lines as winston hands them to a transport, kept as objects. */
function captured(): { lines: Array<Record<string, unknown>>; transport: winston.transport } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    objectMode: true,
    write(line: Record<string, unknown>, _encoding, done) {
      lines.push(line);
      done();
    },
  });
  return { lines, transport: new winston.transports.Stream({ stream }) };
}

describe('requestContext', () => {
  async function contextApp(): Promise<{ url: string; log: ReturnType<typeof captured>; app: Express }> {
    const log = captured();
    const logger = winston.createLogger({ level: 'http', transports: [log.transport] });
    const app = express();
    app.use(requestContext(logger));
    app.get('/context', (req, res) => {
      const first = req.context.logger;
      first.info('inside', { step: 1 });
      req.context.principal = { kind: 'server' };
      res.json({
        id: req.context.requestId,
        same: first === req.context.logger,
        principal: req.context.principal,
      });
    });
    const { url, server } = await start();
    server.serve(app);
    return { url, log, app };
  }

  it('gives each request an id, echoed as Request-Id, and one child logger carrying it', async () => {
    const { url, log } = await contextApp();
    const a = await get(`${url}/context`);
    const b = await get(`${url}/context`);
    const bodyA = JSON.parse(a.body) as { id: string; same: boolean; principal: unknown };
    const bodyB = JSON.parse(b.body) as { id: string };
    expect(bodyA.id).toMatch(/^req_[0-9a-f]{24}$/);
    expect(bodyB.id).toMatch(/^req_[0-9a-f]{24}$/);
    expect(bodyA.id).not.toBe(bodyB.id);
    expect(a.headers['request-id']).toBe(bodyA.id);
    expect(bodyA.same).toBe(true);
    expect(bodyA.principal).toEqual({ kind: 'server' });
    const inside = log.lines.filter((l) => l.message === 'inside');
    expect(inside.map((l) => l.request_id)).toEqual([bodyA.id, bodyB.id]);
    const access = log.lines.filter((l) => l.message === 'request');
    expect(access).toHaveLength(2);
    expect(access[0]).toMatchObject({ request_id: bodyA.id, method: 'GET', route: '/context', status: 200 });
  });

  it('keeps a well-formed incoming Request-Id and replaces a malformed one', async () => {
    const { url } = await contextApp();
    const kept = await get(`${url}/context`, { 'Request-Id': 'gateway-0123456789' });
    expect(kept.headers['request-id']).toBe('gateway-0123456789');
    const replaced = await get(`${url}/context`, { 'Request-Id': 'bad id with spaces' });
    expect(replaced.headers['request-id']).toMatch(/^req_[0-9a-f]{24}$/);
  });
});
