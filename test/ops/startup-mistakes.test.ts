import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { spawnService } from '../support/spawn-service';

jest.setTimeout(120_000);

/**
 * Issue #19: each start-up mistake an operator makes is answered by the real entry point with one
 * sentence naming the setting and the fix, and a non-zero exit: no stack, no PostgreSQL internals,
 * and (a taken port) before the database is touched.
 */
const DATABASE_URL = process.env.DATABASE_URL ?? '';

/** The one line the entry point prints for a failed start, checked for its shape. */
async function failedStart(env: Record<string, string>): Promise<{ line: string; output: string }> {
  const service = spawnService({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env });
  // NOTE: a start that hangs (DATA_DIR=/proc/x did, 60 s and more) fails the test and is killed.
  const exit = await service.waitForExit(60_000).finally(() => {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
  });
  const output = service.output();
  expect(exit.code).not.toBe(0);
  const line = output.split('\n').find((l) => l.startsWith('Tierlift failed to start: ')) ?? output;
  expect(output).not.toMatch(/\n\s+at /); // no stack frames
  return { line: line.replace('Tierlift failed to start: ', ''), output };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('start-up mistakes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierlift-startup-'));
  beforeAll(() => fs.chmodSync(dir, 0o755));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names DATA_DIR when the folder cannot be reached by whoever runs PostgreSQL, instead of initdb’s guess', async () => {
    // Root: PostgreSQL runs as the OS user postgres, which cannot enter a 0700 folder of root's.
    // Anyone else: the service's own user cannot write into a 0500 folder.
    const locked = path.join(dir, 'locked');
    fs.mkdirSync(locked, { mode: 0o700 });
    fs.chmodSync(locked, process.getuid?.() === 0 ? 0o700 : 0o500);
    const { line, output } = await failedStart({ DATA_DIR: path.join(locked, 'data') });
    expect(line).toMatch(new RegExp(`^DATA_DIR=${locked}/data: [^\\n]*${locked}; set DATA_DIR to [^\\n]*\\.$`));
    expect(output).not.toMatch(/might already exist|init script exited/);
  });

  it('names DATA_DIR at once for a folder under /proc, where it used to hang', async () => {
    const { line } = await failedStart({ DATA_DIR: '/proc/x' });
    expect(line).toBe(
      'DATA_DIR=/proc/x: /proc is a kernel pseudo-filesystem where PostgreSQL cannot keep files; set DATA_DIR to a folder this service can write (such as ./.data), or set DATABASE_URL.',
    );
  });

  it('names DATABASE_URL, without its password, when nothing answers there', async () => {
    const port = await closedPort();
    const { line, output } = await failedStart({
      DATABASE_URL: `postgres://tierlift:s3cret-pw@127.0.0.1:${port}/tierlift`,
    });
    expect(line).toBe(
      `DATABASE_URL: no PostgreSQL answers at postgres://tierlift:***@127.0.0.1:${port}/tierlift (ECONNREFUSED); start it there, or point DATABASE_URL at a running server.`,
    );
    expect(output).not.toContain('s3cret-pw');
  });

  it('names PORT when the port is taken, before touching the database (no migrations ran)', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    const schema = `tt_port_${crypto.randomBytes(4).toString('hex')}`;
    try {
      const { line, output } = await failedStart({ DATABASE_URL, DATABASE_SCHEMA: schema, PORT: String(port) });
      expect(line).toBe(
        `PORT=${port}: the port is already in use on 127.0.0.1; stop the process holding it, or set PORT to a free port.`,
      );
      expect(output).not.toContain('migrations applied');
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]);
      expect(found.rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });
});
