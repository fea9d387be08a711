import { canAct, runAction, statusLine } from '../actions';
import { h } from '../dom';
import type { SectionContext } from '../section';

/** Replays every stored Stripe event received in the chosen range, after a confirmation. */
export function webhookReplayForm(context: SectionContext): HTMLElement | null {
  if (!canAct(context)) return null;
  const status = statusLine();
  const button = h('button', { type: 'submit', 'data-action': 'replay-range' }, 'Replay events in the range');
  const form = h('form', { class: 'inline-form', 'aria-label': 'Replay webhook events' }, button, status);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const { from, to } = context.range;
    if (!window.confirm(`Process again every Stripe event received from ${from.toISOString()} to ${to.toISOString()}?`))
      return;
    void runAction(
      status,
      async () => {
        const res = await context.api.send<{ replayed: string[]; busy: string[] }>(
          'POST',
          '/admin/v1/webhook-events/replay',
          { from: from.toISOString(), to: to.toISOString() },
        );
        return `${res.replayed.length} events replayed${res.busy.length ? `, ${res.busy.length} busy` : ''}.`;
      },
      context,
    );
  });
  return form;
}
