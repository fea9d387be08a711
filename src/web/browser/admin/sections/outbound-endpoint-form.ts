import { h } from '../dom';
import { confirmedForm, field } from '../forms';
import type { SectionContext } from '../section';

/**
 * Registers an event endpoint behind a confirmation. The API refuses (400) a URL that is not https
 * or points at a private address in production, and unknown event types. Its signing secret, shown
 * only this once (rotate it through the API to get another), stays in a box of its own above the
 * sections until the operator closes it: the sections reload after every action.
 */
export function endpointForm(status: HTMLElement, context: SectionContext): HTMLFormElement {
  const url = field('endpoint-url', 'Endpoint URL (https in production)', { required: true, type: 'url' });
  const types = field('endpoint-types', 'Event types, comma-separated (empty: every type)');
  const description = field('endpoint-description', 'Description (optional)');
  const eventTypes = () =>
    types.element.value
      .split(',')
      .map((type) => type.trim())
      .filter(Boolean);
  return confirmedForm({
    label: 'Register an endpoint',
    name: 'event-endpoint',
    fields: [...url.nodes, ...types.nodes, ...description.nodes],
    submit: 'Register endpoint',
    confirm: () =>
      `Send ${eventTypes().join(', ') || 'every event type'} to ${url.element.value.trim()}, signed, from now on?`,
    heading: 'h3',
    status,
    context,
    run: async () => {
      const text = description.element.value.trim();
      const res = await context.api.send<{ id: string; url: string; secret: string }>(
        'POST',
        '/admin/v1/event-endpoints',
        { url: url.element.value.trim(), event_types: eventTypes(), ...(text ? { description: text } : {}) },
      );
      showSecret(res.id, res.secret);
      return `Endpoint ${res.url} registered as ${res.id}. Copy its signing secret from the box above: it is shown once.`;
    },
  });
}

/** The new endpoint's signing secret, outside the reloaded sections, until the operator closes it. */
function showSecret(endpointId: string, secret: string): void {
  document.getElementById('endpoint-secret')?.remove();
  const close = h('button', { type: 'button' }, 'I have copied it');
  const box = h(
    'div',
    { id: 'endpoint-secret', class: 'secret-box', role: 'status' },
    h('p', {}, `Signing secret of ${endpointId} (shown once; keep it where your receiver reads it):`),
    h('p', {}, h('code', { 'data-secret': true }, secret)),
    close,
  );
  close.addEventListener('click', () => box.remove());
  const dashboard = document.getElementById('dashboard');
  dashboard?.parentElement?.insertBefore(box, dashboard);
}
