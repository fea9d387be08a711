import { confirmedForm, field } from '../forms';
import type { SectionContext } from '../section';

/**
 * Registers an event endpoint behind a confirmation. The API refuses (400) a URL that is not https
 * or points at a private address in production, and unknown event types; its signing secret is in
 * the confirmation message, the only time it is shown (rotate it through the API to get another).
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
      return `Endpoint ${res.url} registered as ${res.id}. Signing secret (shown once): ${res.secret}`;
    },
  });
}
