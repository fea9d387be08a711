import type { ComparisonTable, PlanColumn } from '../client/tierlift-types';
import { h, uniqueId } from './dom';
import type { SurfaceStrings } from './surface-strings';

export type Interval = 'month' | 'year';

export interface PricingView {
  tables: Record<Interval, ComparisonTable>;
  interval: Interval;
  loggedIn: boolean;
  strings: SurfaceStrings;
  onInterval(interval: Interval): void;
  onChoose(plan: PlanColumn, interval: Interval): void;
}

/**
 * The pricing table: a monthly/yearly switch and one card per plan, the saving shown in the
 * catalog's own words and amount (12 × monthly − annual, computed by the API from the catalog).
 */
export function renderPricingTable(view: PricingView): HTMLElement {
  const { strings } = view;
  const table = view.tables[view.interval];
  const headingId = uniqueId('tierlift-pricing-title');
  const toggle = h(
    'div',
    { class: 'toggle', role: 'group', 'aria-label': strings.billingPeriod },
    (['month', 'year'] as const).map((interval) => {
      const button = h(
        'button',
        { type: 'button', 'data-interval': interval, 'aria-pressed': String(view.interval === interval) },
        interval === 'month' ? strings.monthly : strings.yearly,
      );
      button.addEventListener('click', () => view.onInterval(interval));
      return button;
    }),
  );
  return h(
    'section',
    { class: 'pricing', 'aria-labelledby': headingId, 'data-interval': view.interval },
    h('div', { class: 'pricing-head' }, h('h2', { id: headingId }, strings.plans), toggle),
    h(
      'ul',
      { class: 'cards', role: 'list' },
      table.plans.map((plan) => h('li', {}, planCard(plan, view))),
    ),
  );
}

function planCard(plan: PlanColumn, view: PricingView): HTMLElement {
  const { strings, interval } = view;
  const titleId = uniqueId('tierlift-plan');
  const saving = interval === 'year' ? plan.annual_saving : null;
  const perMonth = interval === 'year' ? plan.monthly_equivalent : null;
  const marks = [
    plan.current ? h('p', { class: 'badge mark', 'data-mark': 'current' }, strings.current) : null,
    plan.recommended ? h('p', { class: 'badge mark', 'data-mark': 'recommended' }, strings.recommended) : null,
  ];
  let action: HTMLElement | null = null;
  if (!plan.current) {
    const choose = h(
      'button',
      {
        type: 'button',
        class: plan.recommended ? 'primary' : undefined,
        'data-action': 'choose-plan',
        'data-plan': plan.code,
      },
      strings.choose(plan.name),
    );
    choose.addEventListener('click', () => view.onChoose(plan, interval));
    action = h('div', { class: 'actions' }, choose);
  }
  return h(
    'article',
    {
      class: `card${plan.recommended ? ' is-recommended' : ''}${plan.current ? ' is-current' : ''}`,
      'aria-labelledby': titleId,
      'data-plan': plan.code,
    },
    h('h3', { id: titleId }, plan.name),
    marks,
    h('p', { class: 'muted' }, plan.tagline),
    h('p', { class: 'price', 'data-price': plan.price.amount }, plan.price.words),
    perMonth ? h('p', { class: 'muted', 'data-monthly-equivalent': perMonth.amount }, perMonth.words) : null,
    saving ? h('p', { class: 'savings', 'data-saving': saving.amount }, saving.words) : null,
    h(
      'ul',
      { class: 'features' },
      plan.features.map((feature) => h('li', {}, `${feature.name}: ${feature.words}`)),
    ),
    action,
  );
}

/** The pricing table's own styles, on top of the widget's (same custom properties, same defaults). */
export const PRICING_STYLES = `
:host { container-type: inline-size; }
.pricing-head { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 0.75rem; margin-block-end: 1rem; }
.toggle { display: inline-flex; border: 1px solid var(--_border); border-radius: 999px; padding: 0.2rem; gap: 0.2rem; }
.toggle button { border: 0; border-radius: 999px; }
.toggle button[aria-pressed='true'] { background: var(--_accent); color: var(--_on-accent); font-weight: 600; }
.cards { list-style: none; padding: 0; margin: 0; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); }
.card { background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius); padding-block: 1rem; padding-inline: 1.25rem; block-size: 100%; display: flex; flex-direction: column; overflow-wrap: anywhere; }
.card.is-recommended { border: 2px solid var(--_accent); }
.card .actions { margin-block-start: auto; padding-block-start: 0.75rem; }
.card .mark { align-self: start; }
.features { padding-inline-start: 1.1rem; }
@container (max-width: 600px) { .cards { grid-template-columns: minmax(0, 1fr); } }
`;
