import type { ComparisonTable, PlanColumn } from '../client/tierlift-types';
import { h } from './dom';
import type { WidgetStrings } from './strings';

/**
 * The comparison table as a real <table>: plans as column headers, features as row headers, so
 * a screen reader announces "Projects, Premium: Unlimited". Buyers get a "Choose" button per
 * higher plan; members (canBuy false) see the table only.
 */
export function renderComparison(
  table: ComparisonTable,
  strings: WidgetStrings,
  options: { canBuy: boolean; onChoose(plan: PlanColumn): void },
): HTMLElement {
  const currentTier = table.plans.find((plan) => plan.current)?.tier ?? -1;
  const headerCell = (plan: PlanColumn) =>
    h(
      'th',
      { scope: 'col', 'data-plan': plan.code },
      plan.name,
      plan.current && h('span', { class: 'current' }, strings.current),
      plan.recommended && h('span', { class: 'recommended' }, strings.recommended),
    );
  const priceRow = h(
    'tr',
    {},
    h('th', { scope: 'row' }, strings.price),
    table.plans.map((plan) =>
      h(
        'td',
        { 'data-plan': plan.code, 'data-amount': plan.price.amount },
        h('span', { class: 'price' }, plan.price.words),
      ),
    ),
  );
  const featureRows = table.features.map((feature) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, feature.name),
      table.plans.map((plan) => h('td', {}, plan.features.find((cell) => cell.code === feature.code)?.words ?? '—')),
    ),
  );
  const chooseRow =
    options.canBuy &&
    h(
      'tr',
      {},
      h('td', {}),
      table.plans.map((plan) => {
        if (plan.tier <= currentTier || plan.price.amount === 0) return h('td', {});
        const choose = h(
          'button',
          {
            type: 'button',
            class: plan.recommended ? 'primary' : '',
            'data-action': 'choose-plan',
            'data-plan': plan.code,
          },
          strings.choose(plan.name),
        );
        choose.addEventListener('click', () => options.onChoose(plan));
        return h('td', {}, choose);
      }),
    );
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-comparison': true },
      h('caption', { class: 'visually-hidden' }, strings.compareTitle),
      h('thead', {}, h('tr', {}, h('td', {}), table.plans.map(headerCell))),
      h('tbody', {}, priceRow, featureRows, chooseRow),
    ),
  );
}
