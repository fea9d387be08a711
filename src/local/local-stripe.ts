import path from 'node:path';
import type { Config } from '../config/config';
import type { Logger } from '../shared/logger';
import { createStripeClient, type StripeClient } from '../stripe/stripe-client';
import { createLocalClock } from './local-clock';
import { createLocalMode, type LocalMode } from './local-mode';
import { startStripeEmulator, type StripeEmulator } from '@tierlift/stripe-emulator';

export interface LocalStripe {
  client: StripeClient;
  emulator: StripeEmulator;
  /** The one clock the service and the emulator share, and the customers' test clocks. */
  mode: LocalMode;
}

/**
 * Local mode without STRIPE_SECRET_KEY: the built-in emulator, its state kept in
 * DATA_DIR beside the embedded database so the two never disagree, and the
 * official SDK pointed at it (the same code paths as with real Stripe). The service's clock is
 * kept beside it too (`local-clock.json`): the emulator reads the same clock, and each customer
 * lives on a test clock that the demo's skip-ahead moves with it.
 */
export async function startLocalStripe(config: Config, logger: Logger): Promise<LocalStripe> {
  const clock = createLocalClock({ statePath: path.join(config.dataDir, 'local-clock.json') });
  const emulator = await startStripeEmulator({
    statePath: path.join(config.dataDir, 'stripe-emulator.json'),
    now: () => Math.floor(clock.now().getTime() / 1000),
    log: (level, message, meta) =>
      logger.log(level === 'info' ? 'debug' : level, message, { component: 'stripe-emulator', ...meta }),
  });
  logger.info('STRIPE_SECRET_KEY is not set: using the built-in Stripe emulator', { url: emulator.url });
  const client = createStripeClient({
    secretKey: emulator.secretKey,
    emulator: { host: emulator.host, port: emulator.port },
  });
  if (clock.offsetDays() > 0)
    logger.info('local clock resumed', { now: clock.now().toISOString(), offset_days: clock.offsetDays() });
  return { client, emulator, mode: createLocalMode({ clock, stripe: client }) };
}

/**
 * Points the emulator's webhooks at this service. Stripe reveals an endpoint's
 * secret only when it is created, so each start replaces the local endpoint and
 * returns the new secret for the webhook module to verify with.
 */
export async function registerLocalWebhookEndpoint(stripe: StripeClient, baseUrl: string): Promise<string> {
  const url = `${baseUrl}/webhooks/stripe`;
  for await (const endpoint of stripe.webhookEndpoints.list({ limit: 100 })) {
    if (endpoint.metadata?.tierlift_local === 'true') await stripe.webhookEndpoints.del(endpoint.id);
  }
  const created = await stripe.webhookEndpoints.create({
    url,
    enabled_events: ['*'],
    metadata: { tierlift_local: 'true' },
  });
  if (!created.secret) throw new Error('the emulator returned no webhook secret');
  return created.secret;
}
