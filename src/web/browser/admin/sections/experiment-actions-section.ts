import { actionButton, canAct, statusLine } from '../actions';
import type { Experiment, List, OfferRule } from '../api-types';
import { dataTable, h, scrollable } from '../dom';
import type { SectionRenderer } from '../section';
import { experimentCreateForm } from './experiment-create-form';

/** Create a draft, start it, stop a running experiment, declare a winner; each asks first and is in the audit log. */
export const renderExperimentActions: SectionRenderer = async (body, context) => {
  const { data } = await context.api.json<List<Experiment>>('/admin/v1/experiments');
  const status = statusLine();
  const winners = (experiment: Experiment) =>
    h(
      'span',
      { class: 'actions' },
      ...experiment.variants.map((variant) =>
        actionButton({
          label: `${variant.key} wins`,
          name: `winner-${experiment.key}-${variant.key}`,
          confirm: `Declare variant ${variant.key} the winner of ${experiment.key}? This is recorded once.`,
          status,
          context,
          run: async () => {
            const res = await context.api.send<{ verdicts: Array<{ treatment: string; verdict: { words: string } }> }>(
              'POST',
              `/admin/v1/experiments/${encodeURIComponent(experiment.key)}/winner`,
              { variant: variant.key },
            );
            const words = res.verdicts.map((v) => `${v.treatment}: ${v.verdict.words}`).join(' ');
            return `Winner of ${experiment.key}: ${variant.key}. Verdict when declared: ${words}`;
          },
        }),
      ),
    );
  const act = (experiment: Experiment) => {
    if (experiment.status === 'stopped' && canAct(context)) return winners(experiment);
    const verb = experiment.status === 'draft' ? 'start' : experiment.status === 'running' ? 'stop' : null;
    if (!verb || !canAct(context)) return '';
    return actionButton({
      label: verb === 'start' ? 'Start' : 'Stop',
      name: `${verb}-${experiment.key}`,
      confirm: `${verb === 'start' ? 'Start' : 'Stop'} the experiment ${experiment.key}?`,
      status,
      context,
      run: async () => {
        await context.api.send('POST', `/admin/v1/experiments/${encodeURIComponent(experiment.key)}/${verb}`);
        return `Experiment ${experiment.key} ${verb === 'start' ? 'started' : 'stopped'}.`;
      },
    });
  };
  body.append(
    status,
    scrollable(
      dataTable({
        caption: 'Experiments and what can be done with them',
        columns: [{ label: 'Experiment' }, { label: 'Rule' }, { label: 'Status' }, { label: 'Action' }],
        rows: data.map((e) => [h('code', {}, e.key), e.rule_id, e.status, act(e)]),
        empty: 'No experiments.',
      }),
      'Experiment actions',
    ),
  );
  if (!canAct(context)) return;
  const rules = await context.api.json<List<OfferRule>>('/admin/v1/offers');
  body.append(
    experimentCreateForm(
      rules.data.map((r) => r.id),
      status,
      context,
    ),
  );
};
