import { ApiError } from './admin-api';
import { h } from './dom';
import type { SectionContext } from './section';

/** Operators and owners act; viewers only read (the API refuses them too). */
export const canAct = (context: SectionContext) => context.operator.role !== 'viewer';

/** Where an action's outcome is announced, politely, to screen readers too. */
export function statusLine(): HTMLParagraphElement {
  return h('p', { class: 'action-status', role: 'status', 'aria-live': 'polite' });
}

/**
 * A button that asks for confirmation (a native dialog, keyboard and screen-reader friendly), runs
 * the action and reports its outcome in `status`; the sections reload after a success.
 */
export function actionButton(input: {
  label: string;
  confirm: string;
  status: HTMLElement;
  run: () => Promise<string>;
  context: SectionContext;
  name?: string;
}): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'action', 'data-action': input.name }, input.label);
  button.addEventListener('click', () => {
    if (!window.confirm(input.confirm)) return;
    button.disabled = true;
    void runAction(input.status, input.run, input.context).finally(() => (button.disabled = false));
  });
  return button;
}

export async function runAction(status: HTMLElement, run: () => Promise<string>, context: SectionContext) {
  status.textContent = 'Working…';
  status.className = 'action-status';
  try {
    const message = await run();
    status.textContent = message;
    status.classList.add('ok');
    document.body.dataset.lastAction = message;
    await context.reload();
  } catch (error) {
    status.textContent = error instanceof ApiError ? `Refused (${error.status}): ${error.message}` : String(error);
    status.classList.add('error');
  }
}

/** A "Download CSV" button for one table of the API. */
export function csvButton(context: SectionContext, path: string, filename: string, label = 'Download CSV') {
  const button = h('button', { type: 'button', class: 'csv', 'data-csv': filename }, label);
  button.addEventListener('click', () => void context.api.download(path, filename));
  return button;
}

/** The chosen range as the API's query parameters. */
export const rangeQuery = (context: SectionContext) => ({
  from: context.range.from.toISOString(),
  to: context.range.to.toISOString(),
});
