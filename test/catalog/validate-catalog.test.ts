import { validateCatalog } from '../../src/catalog/validate-catalog';
import { loadCatalogSource } from '../../src/catalog/load-catalog';
import { parseYaml } from '../../src/catalog/parse-catalog-yaml';
import { demoCatalogText, demoRaw, demoSource } from './support/demo-catalog';

function problemsOf(raw: unknown) {
  const result = validateCatalog(raw);
  if (result.ok) throw new Error('expected the catalog to be refused');
  return result.problems;
}

describe('validateCatalog', () => {
  it('accepts the demo catalog', () => {
    const result = validateCatalog(demoRaw());
    expect(result.ok).toBe(true);
  });

  it('reports an unknown feature in a plan with its path', () => {
    const raw = demoRaw();
    raw.plans[1].limits.widgets = 5;
    expect(problemsOf(raw)).toContainEqual({ path: 'plans[1].limits.widgets', message: 'unknown feature "widgets"' });
  });

  it('reports an unknown boolean feature a plan includes', () => {
    const raw = demoRaw();
    raw.plans[2].includes.push('teleportation');
    expect(problemsOf(raw)).toContainEqual({
      path: 'plans[2].includes[4]',
      message: 'unknown feature "teleportation"',
    });
  });

  it('reports a negative amount', () => {
    const raw = demoRaw();
    raw.plans[1].prices.month.usd = -1900;
    expect(problemsOf(raw)).toContainEqual({ path: 'plans[1].prices.month.usd', message: 'must not be negative' });
  });

  it('reports a fractional minor amount', () => {
    const raw = demoRaw();
    raw.add_ons[0].prices.year.eur = 1500.5;
    const problem = problemsOf(raw).find((p) => p.path === 'add_ons[0].prices.year.eur');
    expect(problem?.message).toMatch(/whole number of minor units/);
  });

  it('reports a JPY amount written with decimals, even when the decimals are zero', () => {
    const text = demoCatalogText().replace('jpy: 2800,', 'jpy: 2800.00,');
    const parsed = parseYaml(text);
    if (!parsed.ok) throw new Error('parse failed');
    const problem = problemsOf(parsed.raw).find((p) => p.path === 'plans[1].prices.month.jpy');
    expect(problem?.message).toMatch(/written as a decimal \(2800\.00\).*JPY has no minor unit/);
  });

  it('reports a plan missing a currency its price list needs', () => {
    const raw = demoRaw();
    delete raw.plans[2].prices.year.kwd;
    expect(problemsOf(raw)).toContainEqual({
      path: 'plans[2].prices.year',
      message: 'missing kwd, needed by price list "kuwait"',
    });
  });

  it('reports duplicate codes', () => {
    const raw = demoRaw();
    raw.add_ons[4].code = 'training_agency';
    expect(problemsOf(raw)).toContainEqual({
      path: 'add_ons[4].code',
      message: 'duplicate code "training_agency" (first used at add_ons[3])',
    });
  });

  it('reports a higher tier with a lower limit as tiers out of order', () => {
    const raw = demoRaw();
    raw.plans[2].limits.seats = 5;
    const problem = problemsOf(raw).find((p) => p.path === 'plans[2].limits.seats');
    expect(problem?.message).toMatch(/tiers out of order: a lower limit than the tier below \("pro"\)/);
  });

  it('reports a higher tier with a lower price as tiers out of order', () => {
    const raw = demoRaw();
    raw.plans[2].prices.month.gbp = 1000;
    const problem = problemsOf(raw).find((p) => p.path === 'plans[2].prices.month.gbp');
    expect(problem?.message).toMatch(/tiers out of order: a lower price/);
  });

  it('reports plans listed in the wrong order', () => {
    const raw = demoRaw();
    raw.plans = [raw.plans[0], raw.plans[2], raw.plans[1]];
    const paths = problemsOf(raw).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['plans[2].limits.projects', 'plans[2].includes', 'plans[2].prices.month.usd']),
    );
  });

  it('reports a bundle referencing unknown items and a discount on an item it lacks', () => {
    const raw = demoRaw();
    raw.bundles[0].items[1].add_on = 'training_underwater';
    const problems = problemsOf(raw);
    expect(problems).toContainEqual({
      path: 'bundles[0].items[1].add_on',
      message: 'unknown add-on "training_underwater"',
    });
    expect(problems).toContainEqual({
      path: 'bundles[0].discount.applies_to[0]',
      message: '"training_agency" is not an item of this bundle',
    });
  });

  it('reports a KWD amount Stripe cannot charge', () => {
    const raw = demoRaw();
    raw.plans[1].prices.month.kwd = 5995;
    const problem = problemsOf(raw).find((p) => p.path === 'plans[1].prices.month.kwd');
    expect(problem?.message).toMatch(/must end in 0/);
  });

  it('reports an annual price above twelve monthly ones', () => {
    const raw = demoRaw();
    raw.plans[1].prices.year.usd = 30000;
    expect(problemsOf(raw)).toContainEqual({
      path: 'plans[1].prices.year.usd',
      message: 'the annual price is more than 12 × the monthly price',
    });
  });

  it('reports a misspelt field by its path', () => {
    const raw = demoRaw();
    raw.plans[1].trial_dayz = 7;
    expect(problemsOf(raw)).toContainEqual({ path: 'plans[1].trial_dayz', message: 'unknown field(s): trial_dayz' });
  });

  it('reports every problem at once', () => {
    const raw = demoRaw();
    raw.plans[1].limits.widgets = 5;
    raw.plans[1].prices.month.usd = -1;
    delete raw.plans[2].prices.month.inr;
    raw.features.push({ code: 'seats', type: 'boolean' });
    const paths = problemsOf(raw).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'plans[1].limits.widgets',
        'plans[1].prices.month.usd',
        'plans[2].prices.month',
        'features[9].code',
      ]),
    );
  });

  it('reports a message the English locale lacks', () => {
    const source = demoSource();
    const en = (source.localeTexts.en ?? '').replace(
      '      four_hour_response: A first reply within 4 business hours\n',
      '',
    );
    const result = loadCatalogSource({ ...source, localeTexts: { ...source.localeTexts, en } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toContainEqual({
        path: 'locales/en:add_ons.priority_support.benefits.four_hour_response',
        message: 'missing message',
      });
    }
  });

  it('reports duplicate YAML keys with their line', () => {
    const result = parseYaml('format: 1\nformat: 1\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.path).toBe('(line 2)');
  });
});
