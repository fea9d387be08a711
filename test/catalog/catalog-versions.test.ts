import { CatalogVersionRepository } from '../../src/catalog/catalog-version.repository';
import { loadCatalogSource } from '../../src/catalog/load-catalog';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { demoCatalog, demoSource } from './support/demo-catalog';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

function changedCatalog() {
  const source = demoSource();
  const result = loadCatalogSource({
    ...source,
    catalogText: source.catalogText.replace('trial_days: 14', 'trial_days: 30'),
  });
  if (!result.ok) throw new Error('the changed catalog is invalid');
  return result.loaded;
}

describe('CatalogVersionRepository', () => {
  it('records a version once by content, and names the same content with the same hash', async () => {
    const sut = new CatalogVersionRepository(db.dataSource);
    const first = await sut.record(demoCatalog(), 'alice');
    const again = await sut.record(demoCatalog(), 'bob');
    expect(again.id).toBe(first.id);
    expect(again.createdBy).toBe('alice');
    expect(first.isLive).toBe(false);
  });

  it('keeps exactly one live version, with when and by whom', async () => {
    const sut = new CatalogVersionRepository(db.dataSource);
    const v1 = demoCatalog();
    const v2 = changedCatalog();
    expect(v2.version).not.toBe(v1.version);
    await sut.record(v1, 'alice');
    await sut.markLive(v1.version, 'alice', { operations: 26, lines: [] });
    await sut.record(v2, 'bob');
    await sut.markLive(v2.version, 'bob', { operations: 2, lines: ['+ price …'] });
    const live = await sut.live();
    expect(live).toMatchObject({ version: v2.version, syncedBy: 'bob', isLive: true });
    expect(live?.syncedAt).toBeInstanceOf(Date);
    const listed = await sut.list();
    expect(listed.map((v) => [v.version, v.isLive])).toEqual([
      [v2.version, true],
      [v1.version, false],
    ]);
  });
});

describe('the catalog sync lock', () => {
  it('lets one sync run at a time and frees the lock afterwards', async () => {
    const sut = new CatalogVersionRepository(db.dataSource);
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const held = sut.withSyncLock(async () => {
      started();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await running;
    await expect(sut.withSyncLock(async () => 'second')).rejects.toMatchObject({
      code: 'catalog_sync_in_progress',
      status: 409,
    });
    release();
    await held;
    await expect(sut.withSyncLock(async () => 'third')).resolves.toBe('third');
  });
});
