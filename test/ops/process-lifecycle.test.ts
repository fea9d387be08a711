import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { spawnService } from '../support/spawn-service';
import { TEST_KEYS } from '../support/test-config';

const schema = `tt_${Date.now()}_${crypto.randomBytes(3).toString('hex')}`;
const env = {
  NODE_ENV: 'test',
  PORT: '0',
  HOST: '127.0.0.1',
  DATABASE_URL: process.env.DATABASE_URL ?? '',
  DATABASE_SCHEMA: schema,
  // The emulator keeps its state in DATA_DIR: a private one, so no other run's state leaks in.
  DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tierlift-lifecycle-')),
  SERVER_API_KEY: TEST_KEYS.server,
  ADMIN_API_KEY: TEST_KEYS.admin,
  DEMO_DATA: 'off',
  LOG_LEVEL: 'info',
};

afterAll(async () => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
  fs.rmSync(env.DATA_DIR, { recursive: true, force: true });
});

jest.setTimeout(240_000);

describe('the service process', () => {
  it('finishes a request that is in flight when SIGTERM arrives, then exits 0 within 10 s', async () => {
    const service = spawnService(env);
    const listening = await service.waitForLog('listening', 120000);
    const port = Number(listening.port);
    const body = JSON.stringify({ name: 'Slow Co', email: 'slow@example.com', country: 'US', locale: 'en-US' });

    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'PUT',
          path: '/v1/accounts/acct_slow',
          headers: {
            Authorization: `Bearer ${TEST_KEYS.server}`,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      // Half the body now, SIGTERM, the rest later: the request is truly in flight.
      req.write(body.slice(0, 20));
      setTimeout(() => {
        service.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(20)), 700);
      }, 200);
    });

    const result = await response;
    expect(result.status).toBe(201);
    expect(JSON.parse(result.body)).toMatchObject({ id: 'acct_slow', name: 'Slow Co' });
    const exit = await service.waitForExit(30000);
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(10000);
    await service.waitForLog('stopped', 100);
  });

  it('refuses to start in production on a dev default secret, naming it, with a non-zero exit', async () => {
    const service = spawnService({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app@127.0.0.1:1/none',
      STRIPE_SECRET_KEY: 'sk_live_0123456789abcdefghij',
      STRIPE_WEBHOOK_SECRET: 'whsec_dev_local_emulator_secret',
      JWT_SECRET: 'production-secret-0123456789abcdefghijkl',
      JWT_AUDIENCE: 'tierlift',
      JWT_ISSUER: 'https://auth.example/',
      SERVER_API_KEY: 'srv_0123456789abcdef0123456789',
    });
    const exit = await service.waitForExit(30000);
    expect(exit.code).not.toBe(0);
    expect(service.output()).toContain('STRIPE_WEBHOOK_SECRET: is a dev default secret');
    expect(service.output()).toContain('ADMIN_API_KEY: required in production');
  });
});
