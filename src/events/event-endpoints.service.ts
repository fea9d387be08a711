import { badRequest, notFound } from '../shared/errors';
import { endpointUrlProblem, type Resolve } from './endpoint-url-policy';
import { type EventEndpointsRepository, type DeliveryStatus, type EndpointStatus } from './event-endpoints.repository';
import { deliveryView, endpointView } from './event-endpoint-view';
import { OUTBOUND_EVENT_TYPES, isOutboundEventType } from './outbound-event-types';

export interface EventEndpointsDeps {
  repository: EventEndpointsRepository;
  now: () => Date;
  /** NODE_ENV=production: https only, no private or loopback addresses (SSRF). */
  production: boolean;
  resolve?: Resolve;
}

/** The operators' use cases on event endpoints; answers are views. */
export class EventEndpointsService {
  constructor(private readonly deps: EventEndpointsDeps) {}

  private async checkUrl(url: string) {
    const problem = await endpointUrlProblem(url, { production: this.deps.production, resolve: this.deps.resolve });
    if (problem) throw badRequest('endpoint_url_refused', problem, 'url');
  }

  private checkTypes(types: string[] | undefined) {
    const unknown = (types ?? []).filter((type) => !isOutboundEventType(type));
    if (unknown.length > 0)
      throw badRequest('unknown_event_type', `Unknown event type: ${unknown.join(', ')}.`, 'event_types', {
        known: OUTBOUND_EVENT_TYPES,
      });
    return [...new Set(types ?? [])];
  }

  private async load(id: string) {
    const row = await this.deps.repository.find(id, this.deps.now());
    if (!row) throw notFound('Event endpoint', 'id');
    return row;
  }

  async create(input: { url: string; event_types?: string[]; description?: string }) {
    const eventTypes = this.checkTypes(input.event_types);
    await this.checkUrl(input.url);
    const id = await this.deps.repository.create({
      url: input.url,
      eventTypes,
      description: input.description ?? null,
      now: this.deps.now(),
    });
    const row = await this.load(id);
    return { ...endpointView(row, row.secret), secret: row.secret };
  }

  async list() {
    return { data: (await this.deps.repository.list(this.deps.now())).map((row) => endpointView(row)) };
  }

  async get(id: string) {
    return endpointView(await this.load(id));
  }

  async update(
    id: string,
    patch: { url?: string; event_types?: string[]; description?: string | null; status?: EndpointStatus },
  ) {
    const eventTypes = patch.event_types ? this.checkTypes(patch.event_types) : undefined;
    if (patch.url !== undefined) await this.checkUrl(patch.url);
    const updated = await this.deps.repository.update(
      id,
      { url: patch.url, eventTypes, description: patch.description, status: patch.status },
      this.deps.now(),
    );
    if (!updated) throw notFound('Event endpoint', 'id');
    return this.get(id);
  }

  async rotateSecret(id: string, overlapSeconds: number) {
    const now = this.deps.now();
    const secret = await this.deps.repository.rotateSecret(id, new Date(now.getTime() + overlapSeconds * 1000), now);
    if (!secret) throw notFound('Event endpoint', 'id');
    return { secret };
  }

  async delete(id: string) {
    if (!(await this.deps.repository.delete(id))) throw notFound('Event endpoint', 'id');
    return { id, deleted: true as const };
  }

  async deliveries(id: string, status: DeliveryStatus | undefined, limit: number) {
    await this.load(id);
    return { data: (await this.deps.repository.deliveries(id, status, limit)).map(deliveryView) };
  }

  async replayDelivery(id: string, deliveryId: string) {
    const row = await this.deps.repository.replayDelivery(id, deliveryId, this.deps.now());
    if (!row) throw notFound('Delivery', 'delivery_id');
    return deliveryView(row);
  }

  async replayRange(id: string, from: string, to: string) {
    const endpoint = await this.load(id);
    const queued = await this.deps.repository.replayRange(endpoint, new Date(from), new Date(to), this.deps.now());
    return { queued };
  }
}
