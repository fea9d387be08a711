import type { GuaranteePolicy, List, Refund } from '../api-types';
import { dataTable, h, scrollable } from '../dom';
import type { SectionRenderer } from '../section';

const LIMIT = 100;

/** Guarantee refunds (newest first), their totals per currency and status, and the policies behind them. */
export const renderRefunds: SectionRenderer = async (body, { api, formats: f }) => {
  const [{ data: refunds }, { policies }] = await Promise.all([
    api.json<List<Refund>>(`/admin/v1/refunds?limit=${LIMIT}`),
    api.json<{ policies: Record<string, GuaranteePolicy | unknown> | null }>('/admin/v1/guarantees/policies'),
  ]);
  const totals = new Map<string, { currency: string; status: string; count: number; amount: number }>();
  for (const refund of refunds) {
    const key = `${refund.currency}/${refund.status}`;
    const total = totals.get(key) ?? { currency: refund.currency, status: refund.status, count: 0, amount: 0 };
    total.count += 1;
    total.amount += refund.amount;
    totals.set(key, total);
  }
  body.append(
    scrollable(
      dataTable({
        caption: `Refund totals per currency and status (latest ${LIMIT} refunds)`,
        className: 'data refund-totals',
        columns: [
          { label: 'Currency' },
          { label: 'Status' },
          { label: 'Refunds', numeric: true },
          { label: 'Amount', numeric: true },
        ],
        rows: [...totals.values()]
          .sort((a, b) => a.currency.localeCompare(b.currency) || a.status.localeCompare(b.status))
          .map((t) => [t.currency.toUpperCase(), t.status, f.count(t.count), f.money(t.amount, t.currency)]),
        empty: 'No refunds yet.',
      }),
      'Refund totals',
    ),
    scrollable(
      dataTable({
        caption: 'Guarantee refunds, newest first',
        className: 'data refunds',
        columns: [
          { label: 'Refund' },
          { label: 'Date' },
          { label: 'Product' },
          { label: 'Kind' },
          { label: 'Source' },
          { label: 'Within policy' },
          { label: 'Status' },
          { label: 'Confirmed by Stripe' },
          { label: 'Amount', numeric: true },
        ],
        rows: refunds.map((refund) => [
          h('code', {}, refund.id),
          f.dateTime(refund.created_at),
          refund.product,
          refund.kind.replace(/_/g, ' '),
          refund.source.replace(/_/g, ' '),
          refund.within_policy ? 'yes' : 'no',
          refund.status,
          refund.confirmed ? 'yes' : 'not yet',
          f.money(refund.amount, refund.currency),
        ]),
        empty: 'No refunds yet.',
      }),
      'Guarantee refunds',
    ),
  );
  const entries = Object.entries(policies ?? {}).filter(
    (entry): entry is [string, GuaranteePolicy] =>
      entry[0] !== 'regions' && typeof entry[1] === 'object' && entry[1] !== null,
  );
  body.append(
    dataTable({
      caption: 'Guarantee policies',
      columns: [
        { label: 'Purchase kind' },
        { label: 'Window', numeric: true },
        { label: 'Refund' },
        { label: 'Claims per year', numeric: true },
      ],
      rows: entries.map(([kind, policy]) => [
        kind.replace(/_/g, ' '),
        `${policy.window_days} days`,
        (policy.refund ?? '—').replace(/_/g, ' '),
        policy.max_claims_per_year ?? '—',
      ]),
      empty: 'No guarantee policies in the catalog.',
    }),
  );
};
