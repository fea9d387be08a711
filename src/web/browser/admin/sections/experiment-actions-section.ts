import { actionButton, canAct, statusLine } from '../actions';
import type { Experiment, List } from '../api-types';
import { dataTable, h, scrollable } from '../dom';
import type { SectionRenderer } from '../section';

/** Start a draft, stop a running experiment; each asks first and is in the audit log. */
export const renderExperimentActions: SectionRenderer = async (body, context) => {
  const { data } = await context.api.json<List<Experiment>>('/admin/v1/experiments');
  const status = statusLine();
  const act = (experiment: Experiment) => {
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
};
