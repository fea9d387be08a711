import { choice, confirmedForm, field } from '../forms';
import type { SectionContext } from '../section';

/**
 * Creates a draft experiment on one offer rule (POST /admin/v1/experiments) behind a confirmation:
 * equal-weight variants, a primary metric and a planned sample size; "Start" in the table above
 * then runs it. The API answers 422 with the field at fault (an unknown rule, a duplicate key).
 */
export function experimentCreateForm(rules: string[], status: HTMLElement, context: SectionContext): HTMLFormElement {
  const key = field('experiment-key', 'Key (lowercase letters, digits, _)', {
    required: true,
    pattern: '[a-z][a-z0-9_]*',
  });
  const rule = choice(
    'experiment-rule',
    'Offer rule under test',
    rules.map((id) => [id, id] as const),
  );
  const hypothesis = field('experiment-hypothesis', 'Hypothesis', { required: true });
  const variants = field('experiment-variants', 'Variant keys, comma-separated (equal weights)', {
    required: true,
    value: 'a, b',
  });
  const metric = choice('experiment-metric', 'Primary metric', [
    ['conversion', 'Conversion'],
    ['revenue_per_account', 'Revenue per account'],
  ]);
  const window = field('experiment-window', 'Counting window in days', {
    required: true,
    type: 'number',
    min: '1',
    max: '365',
    value: '14',
  });
  const sample = field('experiment-sample', 'Planned exposures per variant', {
    required: true,
    type: 'number',
    min: '1',
    value: '1000',
  });
  const variantKeys = () =>
    variants.element.value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  return confirmedForm({
    label: 'Create an experiment',
    name: 'experiment-create',
    fields: [
      ...key.nodes,
      ...rule.nodes,
      ...hypothesis.nodes,
      ...variants.nodes,
      ...metric.nodes,
      ...window.nodes,
      ...sample.nodes,
    ],
    submit: 'Create experiment',
    confirm: () =>
      `Create the draft experiment ${key.element.value.trim()} on rule ${rule.element.value} with variants ${variantKeys().join(', ')}? It starts only when you press Start.`,
    heading: 'h3',
    status,
    context,
    run: async () => {
      const res = await context.api.send<{ key: string; status: string }>('POST', '/admin/v1/experiments', {
        key: key.element.value.trim(),
        hypothesis: hypothesis.element.value.trim(),
        rule_id: rule.element.value,
        variants: variantKeys().map((v) => ({ key: v, weight: 1 })),
        primary_metric: { type: metric.element.value, window_days: Number(window.element.value) },
        planned_sample_size: Number(sample.element.value),
      });
      return `Experiment ${res.key} created (${res.status}).`;
    },
  });
}
