import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret
 * that currently signs (the new one and, during a rotation's overlap, the old one), space-separated.
 */
export class DeliverySigner {
  private readonly hooks = new Map<string, Webhook>();

  private hook(secret: string): Webhook {
    let hook = this.hooks.get(secret);
    if (!hook) {
      if (this.hooks.size > 10_000) this.hooks.clear();
      hook = new Webhook(secret);
      this.hooks.set(secret, hook);
    }
    return hook;
  }

  headers(input: { id: string; body: string; at: Date; secrets: string[] }): Record<string, string> {
    const seconds = new Date(Math.floor(input.at.getTime() / 1000) * 1000);
    return {
      'webhook-id': input.id,
      'webhook-timestamp': String(seconds.getTime() / 1000),
      'webhook-signature': input.secrets
        .map((secret) => this.hook(secret).sign(input.id, seconds, input.body))
        .join(' '),
    };
  }
}

/**
 * The body of an event, the same bytes at every attempt and for every endpoint (`data` as
 * PostgreSQL's jsonb text, which is canonical): one webhook-id never carries two bodies.
 */
export function deliveryBody(event: {
  id: string;
  type: string;
  version: number;
  account_id: string | null;
  occurred_at: Date;
  data: string;
}): string {
  const head = JSON.stringify({
    id: event.id,
    type: event.type,
    version: event.version,
    timestamp: new Date(event.occurred_at).toISOString(),
    account_id: event.account_id,
  });
  return `${head.slice(0, -1)},"data":${event.data}}`;
}
