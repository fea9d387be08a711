import type { Pool } from 'pg';
import { UsageIngestRepository } from '../../src/usage/usage-ingest.repository';
import type { MeteredEvent } from '../../src/usage/usage.types';

/** A pg pool stand-in that records statements and fails the batch statement as told. */
function fakePool(failures: string[]) {
  const statements: string[] = [];
  const client = {
    query: jest.fn(async (query: string | { name: string }) => {
      const name = typeof query === 'string' ? query : query.name;
      statements.push(name);
      if (name.startsWith('usage_ingest') && failures.length > 0)
        throw Object.assign(new Error('conflict'), { code: failures.shift() });
      if (name.startsWith('usage_ingest')) return { rows: [{ kind: 'inserted', value: '1' }] };
      return { rows: [] };
    }),
    release: jest.fn(),
  };
  const pool = { connect: jest.fn(async () => client) } as unknown as Pool;
  return { pool, statements, client };
}

const event: MeteredEvent = {
  accountId: 'a1',
  eventId: 'e1',
  feature: 'api_calls',
  action: 'increment',
  quantity: 1,
  occurredAt: new Date('2026-11-01T00:00:00Z'),
  timestamp: '2026-11-01T00:00:00Z',
  period: { start: new Date('2026-10-15T00:00:00Z'), end: new Date('2026-11-15T00:00:00Z') },
};

describe('UsageIngestRepository', () => {
  it('runs a batch again after a deadlock or lock timeout rolled it back', async () => {
    const { pool, statements, client } = fakePool(['40P01', '55P03']);
    const sut = new UsageIngestRepository(() => pool);
    const changes = await sut.ingest([event], () => []);
    expect(changes.inserted).toBe(1);
    expect(statements).toEqual([
      'BEGIN',
      'usage_ingest_v5',
      'ROLLBACK',
      'BEGIN',
      'usage_ingest_v5',
      'ROLLBACK',
      'BEGIN',
      'usage_ingest_v5',
      'COMMIT',
    ]);
    expect(client.release).toHaveBeenCalledTimes(3);
  });

  it('gives up after three attempts and on any other error', async () => {
    const { pool } = fakePool(['40P01', '40P01', '40P01']);
    await expect(new UsageIngestRepository(() => pool).ingest([event], () => [])).rejects.toThrow('conflict');
    const other = fakePool(['23505']);
    await expect(new UsageIngestRepository(() => other.pool).ingest([event], () => [])).rejects.toThrow('conflict');
    expect(other.statements).toEqual(['BEGIN', 'usage_ingest_v5', 'ROLLBACK']);
  });
});
