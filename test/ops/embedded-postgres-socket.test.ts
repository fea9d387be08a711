import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { socketFolderFor } from '../../src/local/embedded-postgres';
import { runEmbeddedPostgres } from '../support/embedded-postgres-process';

jest.setTimeout(120_000);

/** How a connection made from `url` reached the server: a Unix socket has no server address. */
async function reachedBy(url: string): Promise<{ address: string | null; socketFolder: string }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ address: string | null; socket_folder: string }>(
      "SELECT host(inet_server_addr()) AS address, current_setting('unix_socket_directories') AS socket_folder",
    );
    return { address: rows[0]?.address ?? null, socketFolder: rows[0]?.socket_folder ?? '' };
  } finally {
    await client.end();
  }
}

/**
 * The zero-setup database runs on this machine, so the service reaches it through a Unix socket in
 * its data folder rather than TCP on 127.0.0.1: same server, about 40 % less of the service's CPU
 * per query round trip (docs/scaling.md, "Where PostgreSQL runs"). TCP on 127.0.0.1 stays open for
 * psql and other tools; a folder whose path is too long for a socket uses TCP alone.
 */
describe('embedded PostgreSQL: the service connects through a Unix socket', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-sock-'));
  beforeAll(() => fs.chmodSync(dir, 0o755));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers a URL whose connections go through the socket in the data folder, with TCP still open', async () => {
    const dataDir = path.join(dir, 'data');
    const server = runEmbeddedPostgres(dataDir);
    try {
      const url = await server.ready();
      expect(new URL(url).searchParams.get('host')).toBe(dataDir);
      expect(await reachedBy(url)).toEqual({ address: null, socketFolder: dataDir });
      const tcp = new URL(url);
      tcp.search = '';
      expect(await reachedBy(tcp.toString())).toEqual({ address: '127.0.0.1', socketFolder: dataDir });
    } finally {
      await server.stop();
    }
  });

  it('keeps to TCP when the data folder is too long to hold a socket', async () => {
    // 92 bytes fit (107 − "/.s.PGSQL.65535"); one more does not.
    expect(socketFolderFor(`/${'a'.repeat(91)}`)).toBe(`/${'a'.repeat(91)}`);
    expect(socketFolderFor(`/${'a'.repeat(92)}`)).toBeUndefined();
    expect(socketFolderFor(`/${'é'.repeat(46)}`)).toBeUndefined(); // 93 bytes in 47 characters

    const longDir = path.join(dir, 'x'.repeat(Math.max(1, 93 - dir.length)), 'data');
    expect(socketFolderFor(longDir)).toBeUndefined();
    fs.mkdirSync(path.dirname(longDir), { recursive: true });
    fs.chmodSync(path.dirname(longDir), 0o755);
    const server = runEmbeddedPostgres(longDir);
    try {
      const url = await server.ready();
      expect(new URL(url).search).toBe('');
      expect(await reachedBy(url)).toEqual({ address: '127.0.0.1', socketFolder: '' });
    } finally {
      await server.stop();
    }
  });
});
