import type { CatalogAnswer, PriceMap } from '../api-types';
import { dataTable, h, scrollable, type Child, type Column } from '../dom';
import type { SectionRenderer } from '../section';
import { catalogActions } from './catalog-actions';

/** The live catalog: its version, and every paid plan's price in each price list's currency. */
export const renderCatalog: SectionRenderer = async (body, context) => {
  const { api, formats } = context;
  body.append(catalogActions(context));
  const { version, live_version, locales, catalog } = await api.json<CatalogAnswer>('/admin/v1/catalog');
  const paidPlans = catalog.plans.filter((plan) => plan.prices);
  const price = (map: PriceMap | undefined, currency: string): Child =>
    map?.[currency] === undefined ? '—' : formats.money(map[currency] as number, currency);
  const columns: Column[] = [
    { label: 'Price list' },
    { label: 'Currency' },
    { label: 'Countries' },
    { label: 'Price point' },
    ...paidPlans.flatMap((plan) => [
      { label: `${plan.code} / month`, numeric: true },
      { label: `${plan.code} / year`, numeric: true },
    ]),
  ];
  const rows = catalog.price_lists.map((list) => [
    list.code,
    list.currency.toUpperCase(),
    list.code === catalog.default_price_list ? 'all other countries' : (list.countries ?? []).join(', '),
    list.price_point === 'purchasing_power' ? 'purchasing power' : 'full',
    ...paidPlans.flatMap((plan) => [price(plan.prices?.month, list.currency), price(plan.prices?.year, list.currency)]),
  ]);
  body.append(
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Catalog version'),
      h('dd', {}, h('code', {}, version.slice(0, 12))),
      h('dt', {}, 'Synced to Stripe'),
      h('dd', {}, live_version === version ? 'yes, this version is live' : 'no — run a catalog sync'),
      h('dt', {}, 'Plans'),
      h('dd', {}, catalog.plans.map((plan) => plan.code).join(', ')),
      h('dt', {}, 'Add-ons'),
      h('dd', {}, catalog.add_ons.map((addOn) => addOn.code).join(', ') || '—'),
      h('dt', {}, 'Bundles'),
      h('dd', {}, catalog.bundles.map((bundle) => bundle.code).join(', ') || '—'),
      h('dt', {}, 'Locales'),
      h('dd', {}, locales.join(', ')),
    ),
    scrollable(
      dataTable({ caption: 'Plan prices per price list (market and currency)', columns, rows }),
      'Plan prices per price list',
    ),
  );
};
