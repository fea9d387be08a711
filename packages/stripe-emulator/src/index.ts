import type { AddressInfo } from 'node:net';
import { createEmulatorControl } from './control/emulator-control';
import { EmulatorCore } from './emulator-core';
import type { StripeEmulator, StripeEmulatorOptions } from './emulator-options';
import { ApiPipeline } from './http/api-pipeline';
import { createEmulatorServer } from './http/http-server';
import { FaultInjector } from './infrastructure/faults';
import { IdempotencyKeys } from './infrastructure/idempotency';
import { RequestLog } from './infrastructure/request-log';
import { loadStateFile } from './infrastructure/state-file';
import { ROUTES } from './routes/route-table';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';

export type { EmulatorControl, StripeEmulator, StripeEmulatorOptions } from './emulator-options';
export type { FaultKind, FaultSpec } from './infrastructure/faults';
export type { RequestLogEntry, RequestLogFilter } from './infrastructure/request-log';
export type { DeliveryMode, PendingDelivery } from './webhooks/webhook-dispatcher';

const SECRET_KEY = 'sk_test_tierlift_emulator';

/** Starts a stateful Stripe emulator that the official `stripe` SDK can be pointed at. */
export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const log = options.log ?? (() => undefined);
  const realNow = options.now ?? (() => Math.floor(Date.now() / 1000));
  const core = new EmulatorCore(realNow, options.statePath, log);
  const persisted = options.statePath ? loadStateFile(options.statePath) : null;
  if (persisted) core.store.restore(persisted);
  const dispatcher = new WebhookDispatcher(
    () => core.store,
    { maxAttempts: 5, initialDelayMs: 1000, maxDelayMs: 8000, ...options.webhookRetry },
    log,
  );
  core.dispatcher = dispatcher;
  const faults = new FaultInjector();
  const idempotency = new IdempotencyKeys(
    () => core.store.internal.idempotentResults,
    () => core.persist(),
  );
  const requestLog = new RequestLog();
  const control = createEmulatorControl({ core, faults, idempotency, requestLog, dispatcher });
  const api = new ApiPipeline({ core, routes: ROUTES, faults, idempotency, requestLog });
  const server = createEmulatorServer(core, api, control);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  core.baseUrl = url;
  log('info', 'stripe emulator listening', { url, statePath: options.statePath });
  return {
    url,
    host,
    port,
    secretKey: SECRET_KEY,
    control,
    async close() {
      await dispatcher.close();
      core.persist();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
