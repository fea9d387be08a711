import { offerCopy } from '../../src/catalog/offer-copy';
import { entitlementsFor } from '../../src/catalog/entitlements';
import { nextTier } from '../../src/catalog/catalog-lookup';
import { resolvePriceList } from '../../src/catalog/price-lists';
import { demoCatalog } from './support/demo-catalog';

describe('entitlementsFor', () => {
  it('adds the capacity of per-unit add-ons to the plan limit', () => {
    const { catalog } = demoCatalog();
    const result = entitlementsFor({ catalog, plan: 'pro', addOns: [{ code: 'extra_seats', quantity: 5 }] });
    expect(result.limits.seats).toBe(15);
    expect(result.limits.projects).toBe(25);
  });

  it('switches on the boolean features of an add-on', () => {
    const { catalog } = demoCatalog();
    expect(entitlementsFor({ catalog, plan: 'pro' }).enabled.priority_support).toBe(false);
    expect(
      entitlementsFor({ catalog, plan: 'pro', addOns: [{ code: 'priority_support', quantity: 1 }] }).enabled
        .priority_support,
    ).toBe(true);
  });

  it('keeps unlimited unlimited', () => {
    const { catalog } = demoCatalog();
    expect(entitlementsFor({ catalog, plan: 'premium' }).limits.projects).toBe('unlimited');
  });
});

describe('resolvePriceList and nextTier', () => {
  it('uses the default list for a country on no list', () => {
    const { catalog } = demoCatalog();
    expect(resolvePriceList(catalog, 'CH').code).toBe('default');
    expect(resolvePriceList(catalog, null).code).toBe('default');
    expect(resolvePriceList(catalog, 'at').code).toBe('eurozone');
  });

  it('recommends the next paid tier', () => {
    const { catalog } = demoCatalog();
    expect(nextTier(catalog, 'free')?.code).toBe('pro');
    expect(nextTier(catalog, 'pro')?.code).toBe('premium');
    expect(nextTier(catalog, 'premium')).toBeUndefined();
  });
});

describe('offerCopy', () => {
  it('gives the offers engine benefit and social proof lines in the locale', () => {
    const copy = offerCopy(demoCatalog(), 'plan', 'premium', 'de-CH');
    expect(copy).toMatchObject({ locale: 'de', name: 'Premium' });
    expect(copy?.benefits[0]).toBe('Verteilen Sie Ihr Team mit der Ressourcenplanung über alle Projekte');
    expect(copy?.social_proof).toEqual(['Teams, die Personen projektübergreifend einsetzen, wählen meist Premium']);
  });

  it('knows nothing of an unknown offer', () => {
    expect(offerCopy(demoCatalog(), 'bundle', 'nothing_here')).toBeUndefined();
  });
});
