import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStripeEmulator } from '@tierlift/stripe-emulator';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { DEMO_CATALOG_FILE, demoCatalogText } from './support/demo-catalog';

type Emulator = Awaited<ReturnType<typeof startStripeEmulator>>;
const ROOT = path.resolve(__dirname, '../..');

let emulator: Emulator;
let db: TestDatabase;
beforeAll(async () => {
  emulator = await startStripeEmulator({ port: 0 });
  db = await createTestDatabase();
});
afterAll(async () => {
  await emulator?.close();
  await db?.drop();
});

/** `npm run catalog:sync -- …` as its own process. */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/catalog-sync.ts', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run catalog:sync', () => {
  it('prints the diff on --dry-run and writes nothing', async () => {
    await emulator.control.clearRequestLog();
    const result = await runCli(['--dry-run', '--emulator', emulator.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('dry run: 26 write(s) would be made');
    expect(result.stdout).toContain(
      '+ price tierlift_plan_pro_month/month: usd 19.00, eur 19.00, gbp 16.00, jpy 2800, kwd 6.000',
    );
    expect((await emulator.control.requestLog()).filter((e) => e.method !== 'GET')).toEqual([]);
  });

  it('syncs, records the version as live, and a second run writes nothing', async () => {
    const first = await runCli(['--emulator', emulator.url, '--actor', 'ops@example.test']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('26 write(s) made');
    const rows: Array<{ created_by: string; is_live: boolean }> = await db.dataSource.query(
      'SELECT created_by, is_live FROM catalog_versions',
    );
    expect(rows).toEqual([{ created_by: 'ops@example.test', is_live: true }]);

    const second = await runCli(['--emulator', emulator.url]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('0 write(s) made');
    expect(second.stdout).toContain('Stripe matches the catalog: nothing to write.');
  });

  it('refuses an invalid catalog file, listing every problem, exit code 1', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierlift-catalog-'));
    fs.cpSync(path.join(path.dirname(DEMO_CATALOG_FILE), 'locales'), path.join(dir, 'locales'), { recursive: true });
    const file = path.join(dir, 'broken.catalog.yaml');
    fs.writeFileSync(
      file,
      demoCatalogText().replace('jpy: 2800,', 'jpy: 2800.0,').replace('usd: 4900,', 'usd: -4900,'),
    );
    await emulator.control.clearRequestLog();
    const result = await runCli(['--file', file, '--emulator', emulator.url]);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nothing was synced');
    expect(result.stderr).toContain('plans[1].prices.month.jpy: written as a decimal (2800.0)');
    expect(result.stderr).toContain('plans[2].prices.month.usd: must not be negative');
    expect(await emulator.control.requestLog()).toEqual([]);
  });
});
