import { canAct, runAction, statusLine } from '../actions';
import { h } from '../dom';
import type { SectionContext } from '../section';

interface SyncAnswer {
  version: string;
  operations: unknown[];
  lines: string[];
  written?: number;
}

/**
 * Catalog tools: validate a catalog text, diff the running catalog against Stripe, and sync — the
 * sync button only after a dry run has shown what it would write.
 */
export function catalogActions(context: SectionContext): HTMLElement {
  const status = statusLine();
  const plan = h('pre', { class: 'sync-plan', tabindex: '0', 'aria-label': 'What a sync writes' });
  const show = (answer: SyncAnswer) => {
    plan.textContent = answer.lines.length ? answer.lines.join('\n') : 'Nothing to write: Stripe matches the catalog.';
  };
  const button = (label: string, name: string, onClick: () => void, disabled = false) => {
    const element = h('button', { type: 'button', 'data-action': name, disabled }, label);
    element.addEventListener('click', onClick);
    return element;
  };
  const sync = button(
    'Sync to Stripe',
    'catalog-sync',
    () => {
      if (!window.confirm('Write the catalog to Stripe as the dry run showed?')) return;
      void runAction(
        status,
        async () => {
          const answer = await context.api.send<SyncAnswer>('POST', '/admin/v1/catalog/sync', { dry_run: false });
          show(answer);
          return `Catalog ${answer.version} synced: ${answer.written ?? 0} writes.`;
        },
        context,
      );
    },
    true,
  );
  const dryRun = button('Sync: dry run', 'catalog-dry-run', () => {
    void runAction(
      status,
      async () => {
        const answer = await context.api.send<SyncAnswer>('POST', '/admin/v1/catalog/sync', { dry_run: true });
        show(answer);
        sync.disabled = !canAct(context);
        return `Dry run of ${answer.version}: ${answer.operations.length} operations would be written.`;
      },
      { ...context, reload: async () => undefined },
    );
  });
  const diff = button('Diff against Stripe', 'catalog-diff', () => {
    void runAction(
      status,
      async () => {
        const answer = await context.api.json<SyncAnswer & { in_sync: boolean }>('/admin/v1/catalog/diff');
        show(answer);
        return answer.in_sync ? 'Stripe matches the catalog.' : `${answer.operations.length} differences with Stripe.`;
      },
      { ...context, reload: async () => undefined },
    );
  });
  const yaml = h('textarea', { id: 'catalog-yaml', rows: '4', spellcheck: 'false' });
  const validate = button('Validate', 'catalog-validate', () => {
    void runAction(
      status,
      async () => {
        const answer = await context.api.send<{ valid: boolean; problems: Array<{ path: string; message: string }> }>(
          'POST',
          '/admin/v1/catalog/validate',
          { yaml: yaml.value },
        );
        return answer.valid
          ? 'The catalog text is valid.'
          : `Not valid: ${answer.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`;
      },
      { ...context, reload: async () => undefined },
    );
  });
  const tools = h('div', { class: 'actions' }, diff);
  if (canAct(context)) tools.append(dryRun, sync);
  return h(
    'div',
    { class: 'catalog-actions' },
    tools,
    canAct(context)
      ? h(
          'div',
          { class: 'stacked-form' },
          h('label', { for: 'catalog-yaml' }, 'Catalog YAML to validate'),
          yaml,
          validate,
        )
      : null,
    status,
    plan,
  );
}
