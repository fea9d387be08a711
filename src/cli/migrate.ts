import 'reflect-metadata';
import { loadConfigFromProcess } from '../config/config';
import { openDatabase } from '../shared/database/open-database';
import { runMigrationsLocked } from '../shared/database/run-migrations';
import { createLogger } from '../shared/logger';

/** `npm run migrate` (up) and `npm run migrate:revert` (the last migration) on DATABASE_URL or the embedded database. */
async function main(direction: string | undefined): Promise<void> {
  if (direction !== 'up' && direction !== 'revert') throw new Error('usage: migrate up|revert');
  const config = loadConfigFromProcess();
  const logger = createLogger(config.log);
  const database = await openDatabase(config, logger);
  try {
    if (direction === 'up') {
      const applied = await runMigrationsLocked(database.dataSource);
      console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'nothing to apply');
    } else {
      await database.dataSource.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    }
  } finally {
    await database.close();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
