import { Client } from 'pg';
import { buildApp } from '../../src/app';
import { buildServices } from '../../src/composition';
import { createMetrics } from '../../src/ops/metrics';
import { Readiness } from '../../src/ops/readiness';
import { buildDataSource } from '../../src/shared/database/data-source';
import { createLogger } from '../../src/shared/logger';
import { createTestApp, type TestApp } from '../support/test-app';
import {
  DAY,
  getPrompts,
  mirrorSubscription,
  postEvent,
  proAccountUsing,
  promptsOf,
  reportUsage,
  SimulatedClock,
} from './support/http-fixtures';

/**
 * The decision cache seen from outside: identical requests are answered from memory, and any
 * committed change to the account (through this instance, another instance, or time) is seen.
 */
const start = new Date();

const proAt85 = (t: TestApp, id: string, calls?: number) => proAccountUsing(t, id, start, calls);

const upsellIds = async (t: TestApp, id: string) =>
  (await promptsOf(t, id)).filter((p) => p.kind === 'upsell').map((p) => p.id as string);

/** Writes a "never" for the prompt as another process would, with the change announcement switched off. */
async function silentNever(t: TestApp, accountId: string, promptId: string) {
  const client = new Client({ connectionString: t.db.url });
  await client.connect();
  try {
    await client.query(`SET search_path = "${t.db.schema}"`);
    // NOTE: replica mode skips triggers: the row lands and no instance hears of it.
    await client.query('SET session_replication_role = replica');
    await client.query(
      `INSERT INTO offer_events (prompt_id, account_id, rule_id, type, occurred_at, bucket)
       SELECT id, account_id, rule_id, 'never', now(), 0 FROM offer_prompts WHERE id = $1 AND account_id = $2`,
      [promptId, accountId],
    );
  } finally {
    await client.end();
  }
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 3000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

describe('GET /v1/prompts: decisions kept between identical requests', () => {
  let t: TestApp;
  let clock: SimulatedClock;
  beforeAll(async () => {
    t = await createTestApp();
    clock = new SimulatedClock(t, start);
  });
  afterAll(() => t.close());
  beforeEach(() => clock.set(start));

  it('answers a repeated request from memory, until the TTL when nothing announced a change', async () => {
    await proAt85(t, 'acct_cache_ttl');
    const [upsell] = await upsellIds(t, 'acct_cache_ttl'); // records the impression: not kept
    expect(upsell).toBeDefined();
    expect(await upsellIds(t, 'acct_cache_ttl')).toEqual([upsell]); // kept
    await silentNever(t, 'acct_cache_ttl', upsell as string);
    expect(await upsellIds(t, 'acct_cache_ttl')).toEqual([upsell]); // from memory: the silent write is unseen
    clock.set(new Date(start.getTime() + 23_000)); // a decision lives 80-100% of PROMPT_CACHE_SECONDS (30)
    expect(await upsellIds(t, 'acct_cache_ttl')).toEqual([upsell]);
    clock.set(new Date(start.getTime() + 30_000));
    expect(await upsellIds(t, 'acct_cache_ttl')).toEqual([]);
  });

  it('a change through this instance is seen by the very next request (dismiss, usage, plan)', async () => {
    await proAt85(t, 'acct_cache_local');
    const [upsell] = await upsellIds(t, 'acct_cache_local');
    await upsellIds(t, 'acct_cache_local');
    expect((await postEvent(t, 'acct_cache_local', upsell as string, { type: 'dismiss' })).status).toBe(200);
    expect(await upsellIds(t, 'acct_cache_local')).toEqual([]);

    await proAt85(t, 'acct_cache_usage', 1000);
    expect(await upsellIds(t, 'acct_cache_usage')).toEqual([]);
    expect(await upsellIds(t, 'acct_cache_usage')).toEqual([]); // kept: nothing to show
    await reportUsage(t, 'acct_cache_usage', 'api_calls', 44000, 'increment');
    expect(await upsellIds(t, 'acct_cache_usage')).toHaveLength(1);

    await upsellIds(t, 'acct_cache_usage');
    await mirrorSubscription(t, {
      accountId: 'acct_cache_usage',
      planCode: 'premium',
      createdAt: start,
      periodStart: start,
      periodEnd: new Date(start.getTime() + 30 * DAY),
    });
    expect(await upsellIds(t, 'acct_cache_usage')).toEqual([]);
  });

  it('a change committed by another instance is seen here moments later', async () => {
    await proAt85(t, 'acct_cache_remote');
    const [upsell] = await upsellIds(t, 'acct_cache_remote');
    expect(await upsellIds(t, 'acct_cache_remote')).toEqual([upsell]);

    // instance B: its own pool and services on the same schema
    const dataSource = buildDataSource({
      url: t.db.url,
      schema: t.db.schema,
      poolSize: 2,
      statementTimeoutMs: 30000,
      lockTimeoutMs: 10000,
    });
    await dataSource.initialize();
    try {
      const logger = createLogger({ level: 'error', format: 'json', silent: true });
      const services = buildServices({ config: t.config, logger, dataSource });
      services.clock.now = () => clock.now();
      const b = {
        ...t,
        app: buildApp({ config: t.config, logger, metrics: createMetrics(), readiness: new Readiness([]), services }),
      };
      expect((await postEvent(b, 'acct_cache_remote', upsell as string, { type: 'never' })).status).toBe(200);
      expect(await eventually(async () => (await upsellIds(t, 'acct_cache_remote')).length === 0)).toBe(true);
    } finally {
      await dataSource.destroy();
    }
  });

  it('keeps members and owners apart, and one placement from another', async () => {
    await proAt85(t, 'acct_cache_roles');
    await promptsOf(t, 'acct_cache_roles');
    const owner = await promptsOf(t, 'acct_cache_roles');
    const member = (await getPrompts(t, 'acct_cache_roles', {}, 'member')).body.data;
    expect(owner[0]?.actions[0].type).toBe('purchase');
    expect(member[0]?.actions[0].type).toBe('ask_admin');
    const gate = await promptsOf(t, 'acct_cache_roles', { placement: 'feature_gate', feature: 'sso' });
    expect(gate.every((p) => p.placement === 'feature_gate')).toBe(true);
  });
});

describe('PROMPT_CACHE_SECONDS=0', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PROMPT_CACHE_SECONDS: '0' });
    new SimulatedClock(t, start);
  });
  afterAll(() => t.close());

  it('decides afresh on every request', async () => {
    await proAt85(t, 'acct_nocache');
    const [upsell] = await upsellIds(t, 'acct_nocache');
    await upsellIds(t, 'acct_nocache');
    await silentNever(t, 'acct_nocache', upsell as string);
    expect(await upsellIds(t, 'acct_nocache')).toEqual([]);
  });
});
