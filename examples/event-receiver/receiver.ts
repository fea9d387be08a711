import http from 'node:http';
import { Webhook } from 'standardwebhooks';
import { toHubSpot, toKlaviyo, toSalesforce, type OutgoingRequest, type TierliftEvent } from './mappings';

/**
 * A receiver for Tierlift's outbound events: verifies each delivery (Standard Webhooks, with every
 * secret it is given: during a rotation, the old and the new), answers 2xx at once, drops a
 * `webhook-id` already seen (delivery is at-least-once) and hands the mapped requests to `forward`
 * (a queue of your own; this example makes no network call).
 */
export function eventReceiver(options: {
  secrets: string[];
  forward: (target: 'hubspot' | 'salesforce' | 'klaviyo', request: OutgoingRequest) => void;
  hubspotEventPrefix?: string;
  salesforceInstanceUrl?: string;
}): http.RequestListener {
  const hooks = options.secrets.map((secret) => new Webhook(secret));
  const seen = new Set<string>();
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      };
      let event: TierliftEvent | undefined;
      for (const hook of hooks) {
        try {
          event = hook.verify(body, headers) as TierliftEvent;
          break;
        } catch {
          // the next secret, if any
        }
      }
      if (!event) return void res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid signature');
      res.writeHead(204).end();
      if (seen.has(headers['webhook-id'])) return;
      seen.add(headers['webhook-id']);
      const hubspot = toHubSpot(event, { eventNamePrefix: options.hubspotEventPrefix ?? 'pe0' });
      if (hubspot) options.forward('hubspot', hubspot);
      const salesforce = toSalesforce(event, {
        instanceUrl: options.salesforceInstanceUrl ?? 'https://example.my.salesforce.com',
      });
      if (salesforce) options.forward('salesforce', salesforce);
      for (const klaviyo of toKlaviyo(event)) options.forward('klaviyo', klaviyo);
    });
  };
}

/** `EVENT_SECRETS="whsec_… whsec_…" PORT=4400 npx tsx examples/event-receiver/receiver.ts` prints what it would send. */
if (require.main === module) {
  const secrets = (process.env.EVENT_SECRETS ?? '').split(/\s+/).filter(Boolean);
  const server = http.createServer(
    eventReceiver({
      secrets,
      forward: (target, request) =>
        process.stdout.write(`${target} ${request.method} ${request.url} ${JSON.stringify(request.body)}\n`),
    }),
  );
  server.listen(Number(process.env.PORT ?? 4400), '127.0.0.1');
}
