import { ApiError } from '../admin-api';
import { runAction } from '../actions';
import { h } from '../dom';
import type { OfferRule } from '../api-types';
import type { SectionContext } from '../section';

const FIELDS = ['title', 'body', 'cta'] as const;
type Field = (typeof FIELDS)[number];
type LocaleCopy = Partial<Record<Field, string>>;
interface RuleCopy {
  overrides: Record<string, LocaleCopy>;
  locales: string[];
}
interface Preview {
  copy: Record<Field, string>;
}

const PREVIEW_DELAY_MS = 300;

function labelled<K extends 'input' | 'select' | 'textarea'>(tag: K, id: string, label: string) {
  const element = h(tag, { id, name: id, autocomplete: 'off' } as Record<string, string>);
  return { element, nodes: [h('label', { for: id }, label), element] };
}

/**
 * "Edit copy" for one offer rule (issue #23): a rule and locale picker, the prompt's title, body and
 * cta as ICU messages (empty = the catalog's copy), a preview the API renders as the operator types
 * (debounced, nothing saved), Save and Reset; and the rule's guardrails (cool-down, cap, guarantee).
 */
export function offerCopyEditor(rules: readonly OfferRule[], status: HTMLElement, context: SectionContext) {
  const { api } = context;
  const rule = labelled('select', 'copy-rule', 'Offer rule');
  for (const r of rules) rule.element.append(h('option', { value: r.id }, r.id));
  const locale = labelled('select', 'copy-locale', 'Locale');
  const inputs = {
    title: labelled('input', 'copy-title', 'Title (ICU message; empty = catalog copy)'),
    body: labelled('textarea', 'copy-body', 'Body (ICU message; empty = catalog copy)'),
    cta: labelled('input', 'copy-cta', 'Button (ICU message; empty = catalog copy)'),
  };
  const pane = h('div', { id: 'copy-preview', class: 'copy-preview', role: 'status', 'aria-live': 'polite' });
  const path = () => `/admin/v1/offers/${encodeURIComponent(rule.element.value)}`;
  const draft = (): LocaleCopy =>
    Object.fromEntries(
      FIELDS.flatMap((f) => (inputs[f].element.value.trim() ? [[f, inputs[f].element.value.trim()]] : [])),
    );

  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  const preview = async () => {
    const ticket = ++asked;
    try {
      const res = await api.send<Preview>('POST', `${path()}/preview`, { locale: locale.element.value, copy: draft() });
      if (ticket !== asked) return;
      pane.replaceChildren(
        h('strong', { 'data-preview': 'title' }, res.copy.title),
        h('p', { 'data-preview': 'body' }, res.copy.body),
        h('span', { class: 'preview-cta', 'data-preview': 'cta' }, res.copy.cta),
      );
      pane.dataset.state = 'ok';
    } catch (error) {
      if (ticket !== asked) return;
      pane.replaceChildren(h('p', { class: 'error' }, error instanceof ApiError ? error.message : String(error)));
      pane.dataset.state = 'error';
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void preview(), PREVIEW_DELAY_MS);
  };

  const load = async () => {
    const copy = await api.json<RuleCopy>(`${path()}/copy`);
    if (locale.element.options.length === 0) {
      for (const l of copy.locales) locale.element.append(h('option', { value: l }, l));
      locale.element.value = copy.locales.includes('en') ? 'en' : (copy.locales[0] ?? '');
    }
    const saved = copy.overrides[locale.element.value] ?? {};
    for (const f of FIELDS) inputs[f].element.value = saved[f] ?? '';
    await preview();
  };
  const reloadSoon = () => void load().catch((error: unknown) => (status.textContent = String(error)));
  rule.element.addEventListener('change', () => {
    fillGuardrails();
    reloadSoon();
  });
  locale.element.addEventListener('change', reloadSoon);
  for (const f of FIELDS) inputs[f].element.addEventListener('input', schedule);

  const save = h('button', { type: 'submit' }, 'Save copy');
  const reset = h('button', { type: 'button', 'data-action': 'reset-copy' }, 'Reset to catalog copy');
  const form = h(
    'form',
    { class: 'stacked-form', 'aria-label': 'Edit copy', 'data-form': 'offer-copy' },
    h('h3', {}, 'Edit copy'),
    ...rule.nodes,
    ...locale.nodes,
    ...FIELDS.flatMap((f): HTMLElement[] => inputs[f].nodes),
    h('h4', {}, 'Preview (not saved)'),
    pane,
    h('div', { class: 'actions' }, save, reset),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const copy = draft();
    const where = `${path()}/copy/${encodeURIComponent(locale.element.value)}`;
    void runAction(
      status,
      async () => {
        await (Object.keys(copy).length > 0 ? api.send('PUT', where, copy) : api.send('DELETE', where));
        return `Copy of ${rule.element.value} (${locale.element.value}) saved.`;
      },
      context,
    );
  });
  reset.addEventListener('click', () => {
    if (!window.confirm(`Reset the ${locale.element.value} copy of ${rule.element.value} to the catalog's?`)) return;
    void runAction(
      status,
      async () => {
        await api.send('DELETE', `${path()}/copy/${encodeURIComponent(locale.element.value)}`);
        return `Copy of ${rule.element.value} (${locale.element.value}) reset.`;
      },
      context,
    );
  });

  const guard = {
    dismiss_cooldown_days: labelled(
      'input',
      'guard-cooldown',
      'Cool-down after a dismiss (days; empty = tone profile)',
    ),
    max_impressions: labelled('input', 'guard-max', 'Times shown per account at most (empty = no cap)'),
    guarantee_days: labelled('input', 'guard-guarantee', 'Guarantee days (empty = catalog policy)'),
  };
  for (const g of Object.values(guard)) Object.assign(g.element, { type: 'number', min: '1', inputMode: 'numeric' });
  const fillGuardrails = () => {
    const current = rules.find((r) => r.id === rule.element.value) as Record<string, unknown> | undefined;
    for (const [key, g] of Object.entries(guard)) g.element.value = String(current?.[key] ?? '');
  };
  const guardForm = h(
    'form',
    { class: 'stacked-form', 'aria-label': 'Guardrails', 'data-form': 'offer-guardrails' },
    h('h3', {}, 'Guardrails'),
    ...Object.values(guard).flatMap((g) => g.nodes),
    h('button', { type: 'submit' }, 'Save guardrails'),
  );
  guardForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void runAction(
      status,
      async () => {
        const current = await api.json<Record<string, unknown>>(path());
        const next: Record<string, unknown> = { ...current };
        for (const [key, g] of Object.entries(guard))
          next[key] = g.element.value.trim() === '' ? undefined : Number(g.element.value);
        await api.send('PUT', path(), next);
        return `Guardrails of ${rule.element.value} saved.`;
      },
      context,
    );
  });

  if (rules.length > 0) {
    fillGuardrails();
    reloadSoon();
  }
  return [form, guardForm];
}
