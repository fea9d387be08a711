import type { List, OfferRule } from '../api-types';
import { actionButton, canAct, statusLine } from '../actions';
import { dataTable, h, scrollable } from '../dom';
import type { SectionRenderer } from '../section';
import { offerCopyEditor } from './offer-copy-editor';

const describe = (value: { type: string } & Record<string, unknown>): string => {
  const details = Object.entries(value)
    .filter(([key]) => key !== 'type')
    .map(([key, v]) => `${key.replace(/_/g, ' ')}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return details.length > 0
    ? `${value.type.replace(/_/g, ' ')} (${details.join(', ')})`
    : value.type.replace(/_/g, ' ');
};

/** The offer rules the engine runs with, highest priority first. */
export const renderOffers: SectionRenderer = async (body, context) => {
  const { api } = context;
  const status = statusLine();
  const toggle = (rule: OfferRule) => {
    const enabled = rule.enabled !== false;
    return actionButton({
      label: enabled ? 'Disable' : 'Enable',
      name: `toggle-${rule.id}`,
      confirm: `${enabled ? 'Disable' : 'Enable'} the offer rule ${rule.id}?`,
      status,
      context,
      run: async () => {
        const current = await api.json<OfferRule>(`/admin/v1/offers/${encodeURIComponent(rule.id)}`);
        await api.send('PUT', `/admin/v1/offers/${encodeURIComponent(rule.id)}`, { ...current, enabled: !enabled });
        return `Offer rule ${rule.id} ${enabled ? 'disabled' : 'enabled'}.`;
      },
    });
  };
  const { data } = await api.json<List<OfferRule>>('/admin/v1/offers');
  const rules = [...data].sort((a, b) => b.priority - a.priority || a.id.localeCompare(b.id));
  body.append(
    h('p', {}, `${rules.length} rules, ${rules.filter((r) => r.enabled !== false).length} enabled.`),
    status,
    scrollable(
      dataTable({
        caption: 'Offer rules by priority',
        columns: [
          { label: 'Rule' },
          { label: 'Kind' },
          { label: 'Trigger' },
          { label: 'Offer' },
          { label: 'Placements' },
          { label: 'Priority', numeric: true },
          { label: 'Enabled' },
          ...(canAct(context) ? [{ label: 'Action' }] : []),
        ],
        rows: rules.map((rule) => [
          h('code', {}, rule.id),
          rule.kind.replace(/_/g, ' '),
          describe(rule.trigger),
          describe(rule.offer),
          rule.placements.join(', '),
          rule.priority,
          rule.enabled === false ? 'no' : 'yes',
          ...(canAct(context) ? [toggle(rule)] : []),
        ]),
        empty: 'No offer rules.',
      }),
      'Offer rules',
    ),
    ...(canAct(context) ? offerCopyEditor(rules, status, context) : []),
  );
};
