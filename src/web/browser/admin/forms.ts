import { runAction } from './actions';
import { h } from './dom';
import type { SectionContext } from './section';

/** A small form whose submit asks for a confirmation (a native dialog) before it calls the API. */
export function confirmedForm(input: {
  label: string;
  name: string;
  fields: HTMLElement[];
  submit: string;
  confirm: () => string;
  status: HTMLElement;
  context: SectionContext;
  run: () => Promise<string>;
  /** h3 for a form directly in a section (its heading is an h2); h4 (default) under an h3. */
  heading?: 'h3' | 'h4';
}): HTMLFormElement {
  const form = h(
    'form',
    { class: 'stacked-form', 'aria-label': input.label, 'data-form': input.name },
    h(input.heading ?? 'h4', {}, input.label),
    ...input.fields,
    h('button', { type: 'submit' }, input.submit),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!window.confirm(input.confirm())) return;
    void runAction(input.status, input.run, input.context);
  });
  return form;
}

/** A labelled input: the element (to read its value) and the nodes to put in a form. */
export const field = (id: string, label: string, attributes: Record<string, string | boolean> = {}) => {
  const element = h('input', { id, name: id, autocomplete: 'off', ...attributes });
  return { element, nodes: [h('label', { for: id }, label), element] };
};

/** A labelled select of `options` (value, text). */
export const choice = (id: string, label: string, options: ReadonlyArray<readonly [string, string]>) => {
  const element = h('select', { id, name: id }, ...options.map(([value, text]) => h('option', { value }, text)));
  return { element, nodes: [h('label', { for: id }, label), element] };
};
