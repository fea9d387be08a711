import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigFromProcess } from '../config/config';
import { CatalogVersionRepository } from '../catalog/catalog-version.repository';
import { problemsText } from '../catalog/catalog-problem';
import { defaultCatalogFile, loadCatalogSource, readCatalogSource } from '../catalog/load-catalog';
import { syncCatalog } from '../catalog/sync/sync-catalog';
import { openDatabase } from '../shared/database/open-database';
import { createLogger } from '../shared/logger';
import { createStripeClient } from '../stripe/stripe-client';

const USAGE = `usage: npm run catalog:sync -- [--dry-run] [--file catalog/demo.catalog.yaml] [--actor name] [--emulator http://127.0.0.1:12111]

Validates the catalog (every problem listed, nothing synced when invalid), compares it with
Stripe and prints the diff; without --dry-run writes the diff and records the version as live.
Stripe: STRIPE_SECRET_KEY, or --emulator <url> for a running local emulator (local mode has no
key; there, POST /admin/v1/catalog/sync on the running service does the same).`;

/** `npm run catalog:sync`: mirror the catalog file into Stripe. Exit 1 on an invalid catalog, 2 on bad usage. */
async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'dry-run': { type: 'boolean', default: false },
      file: { type: 'string' },
      actor: { type: 'string' },
      emulator: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfigFromProcess();
  const file = path.resolve(values.file ?? config.catalogFile ?? defaultCatalogFile());
  const load = loadCatalogSource(readCatalogSource(file));
  if (!load.ok) {
    console.error(`${file} is invalid; nothing was synced. Problems:\n${problemsText(load.problems)}`);
    return 1;
  }
  console.log(`catalog ${file}\nversion ${load.loaded.version}`);

  const stripe = stripeFor(config.stripe.secretKey, values.emulator);
  if (!stripe) {
    console.error(`No Stripe to sync with.\n${USAGE}`);
    return 2;
  }
  const logger = createLogger(config.log);
  const actor = values.actor ?? `cli:${os.userInfo().username}`;
  if (values['dry-run']) {
    const result = await syncCatalog({ loaded: load.loaded, stripe, actor, dryRun: true });
    console.log(`dry run: ${result.operations.length} write(s) would be made\n${result.lines.join('\n')}`);
    return 0;
  }
  const database = await openDatabase(config, logger);
  try {
    const versions = new CatalogVersionRepository(database.dataSource);
    const result = await syncCatalog({ loaded: load.loaded, stripe, versions, actor, dryRun: false, logger });
    console.log(`${result.written} write(s) made\n${result.lines.join('\n')}`);
    return 0;
  } finally {
    await database.close();
  }
}

function stripeFor(secretKey: string | undefined, emulator: string | undefined) {
  if (emulator) {
    const url = new URL(emulator);
    return createStripeClient({
      secretKey: secretKey ?? 'sk_test_local_emulator',
      emulator: { host: url.hostname, port: Number(url.port) },
    });
  }
  return secretKey ? createStripeClient({ secretKey }) : undefined;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
