import { evaluateOffers } from '../../src/offers/evaluate-offers';
import { ExperimentRegistry } from '../../src/experiments/experiment-registry';
import type { StoredExperiment } from '../../src/experiments/experiments.repository';
import { experimentSchema } from '../../src/experiments/experiment.schema';
import { account, input, NOW, rule, settings } from '../offers/support/offer-fixtures';

const always = { type: 'days_after_signup', days: 0, within_days: 3650 };
const offerRule = rule({
  id: 'r',
  trigger: always,
  offer: { type: 'plan', plan: 'premium' },
  placements: ['dashboard'],
});
const rules = settings({ rules: [offerRule] });

const stored = (fields: Record<string, unknown>): StoredExperiment => ({
  definition: experimentSchema.parse({
    key: 'e',
    hypothesis: 'h',
    rule_id: 'r',
    primary_metric: { type: 'conversion' },
    planned_sample_size: 100,
    variants: [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 1 },
    ],
    ...fields,
  }),
  startedAt: NOW,
  stoppedAt: null,
  createdAt: NOW,
  updatedAt: NOW,
});

async function registryOf(experiment: StoredExperiment): Promise<ExperimentRegistry> {
  const registry = new ExperimentRegistry({ load: async () => [experiment], now: () => NOW });
  await registry.refresh();
  return registry;
}

describe('variants overriding the rule under test', () => {
  it('moves the prompt to the placement the variant names', async () => {
    const registry = await registryOf(
      stored({
        variants: [
          { key: 'a', weight: 0.000001 },
          { key: 'b', weight: 1000, overrides: { placements: ['settings'] } },
        ],
      }),
    );
    const at = (placement: 'dashboard' | 'settings') =>
      evaluateOffers(input({ rules, placement, assignVariant: registry.assign }));
    expect(at('dashboard')).toEqual([]);
    expect(at('settings')[0]).toMatchObject({ placement: 'settings', experiment: { key: 'e', variant: 'b' } });
  });

  it('offers what the variant offers, in its words', async () => {
    const registry = await registryOf(
      stored({
        variants: [
          { key: 'a', weight: 0.000001 },
          { key: 'b', weight: 1000, overrides: { offer: { type: 'plan', plan: 'pro' }, copy: 'welcome_pro' } },
        ],
      }),
    );
    const [decided] = evaluateOffers(input({ rules, subscription: null, assignVariant: registry.assign }));
    expect(decided).toMatchObject({ copyKey: 'welcome_pro', target: { type: 'plan', code: 'pro' } });
  });

  it('tells the engine of a held-out account instead of showing it anything', async () => {
    const registry = await registryOf(stored({ holdout: 0.5 }));
    const heldOut: string[] = [];
    let shown = 0;
    for (let i = 0; i < 200; i++) {
      const decided = evaluateOffers(
        input({
          rules,
          account: account({ id: `acct_${i}` }),
          assignVariant: registry.assign,
          onHeldOut: (r, e) => heldOut.push(`${r.id}:${e.key}:${e.variant}`),
        }),
      );
      shown += decided.length;
    }
    expect(heldOut.length + shown).toBe(200);
    expect(heldOut.length).toBeGreaterThan(70);
    expect(new Set(heldOut)).toEqual(new Set(['r:e:holdout']));
  });

  it('leaves accounts outside the experiment audience alone', async () => {
    const registry = await registryOf(stored({ audience: { countries: ['DE'] } }));
    expect(evaluateOffers(input({ rules, assignVariant: registry.assign }))[0]?.experiment).toBeNull();
    const german = account({ country: 'DE' });
    expect(
      evaluateOffers(input({ rules, account: german, assignVariant: registry.assign }))[0]?.experiment,
    ).not.toBeNull();
  });

  it('ignores an experiment outside its starts_at / stops_at window', async () => {
    const registry = await registryOf(stored({ stops_at: '2026-11-01T00:00:00Z' }));
    expect(evaluateOffers(input({ rules, assignVariant: registry.assign }))[0]?.experiment).toBeNull();
  });
});

describe('the registry snapshot the offers engine keeps decisions against', () => {
  it('keeps its identity across reloads that find nothing changed, and changes when an experiment does', async () => {
    let running = [stored({})];
    const registry = new ExperimentRegistry({ load: async () => running, now: () => NOW });
    await registry.refresh();
    const first = registry.snapshot;
    running = [stored({})];
    await registry.refresh();
    expect(registry.snapshot).toBe(first);
    running = [stored({ planned_sample_size: 200 })];
    await registry.refresh();
    expect(registry.snapshot).not.toBe(first);
    running = [];
    const second = registry.snapshot;
    await registry.refresh();
    expect(registry.snapshot).not.toBe(second);
  });
});
