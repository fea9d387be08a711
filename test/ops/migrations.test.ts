import { createTestDatabase, type TestDatabase } from '../support/test-database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const tablesIn = async (schema: string) =>
  (
    (await db.dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [
      schema,
    ])) as Array<{ table_name: string }>
  ).map((r) => r.table_name);

describe('migrations', () => {
  it('revert one by one down to an empty schema and apply again cleanly', async () => {
    const count = db.dataSource.migrations.length;
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i += 1) await db.dataSource.undoLastMigration({ transaction: 'each' });
    expect((await tablesIn(db.schema)).filter((t) => t !== 'migrations')).toEqual([]);
    const applied = await db.dataSource.runMigrations({ transaction: 'each' });
    expect(applied).toHaveLength(count);
    expect(await tablesIn(db.schema)).toEqual(expect.arrayContaining(['accounts', 'subscriptions']));
  });
});
