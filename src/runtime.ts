import type { DataSource } from 'typeorm';
import type { Config } from './config/config';
import { buildApp } from './app';
import { buildServices, type Services } from './composition';
import { syncCatalog } from './catalog/sync/sync-catalog';
import { demoBanner, demoToken, seedDemoAccount } from './local/demo';
import { registerLocalWebhookEndpoint, startLocalStripe, type LocalStripe } from './local/local-stripe';
import type { StripeClient } from './stripe/stripe-client';
import { createMetrics } from './ops/metrics';
import { observeServices } from './ops/service-metrics';
import { databaseCheck, Readiness, stripeCheck } from './ops/readiness';
import { createExpressServer } from './shared/http/express-server';
import { assertPortFree, listenProblem } from './shared/http/port-check';
import { openDatabase } from './shared/database/open-database';
import { runMigrationsLocked } from './shared/database/run-migrations';
import type { Logger } from './shared/logger';
import { periodicTask } from './shared/periodic-task';

export interface Runtime {
  url: string;
  services: Services;
  dataSource: DataSource;
  /** Graceful stop: readiness 503, in-flight requests finish, pool closes, embedded PostgreSQL stops. */
  shutdown(reason: string): Promise<void>;
}

/** Starts every part the service needs (database, migrations, app, listener) in order. */
export async function startRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const stack: Array<{ name: string; stop: () => Promise<void> }> = [];
  try {
    // Cheap checks first: a taken port is reported before the database starts and migrations run.
    await assertPortFree(config.http);
    const database = await openDatabase(config, logger);
    stack.push({ name: 'database', stop: () => database.close() });
    const { dataSource } = database;
    const applied = await runMigrationsLocked(dataSource);
    if (applied.length > 0) logger.info('migrations applied', { migrations: applied });

    // Listen first (answering 503 until the app is attached): local mode needs this
    // service's URL to point the emulator's webhooks at it before services are built.
    const { server, serve, drain } = createExpressServer((_req, res) => {
      res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1' });
      res.end(JSON.stringify({ error: { type: 'api_error', code: 'starting', message: 'Tierlift is starting.' } }));
    });
    server.keepAliveTimeout = 5000;
    let drained: Promise<void> | undefined;
    // NOTE: once only: the shutdown drains the listener first, before the parts its requests use stop.
    // NOTE: open entitlement streams (server-sent events) never end by themselves: they are closed
    // first, so the drain waits only for real requests; clients reconnect to another instance.
    const stopListening = (): Promise<void> => {
      services.usage.changeStream?.close();
      return (drained ??= drain(config.http.shutdownTimeoutMs, () =>
        logger.warn('in-flight requests did not finish in time; closing their connections'),
      ));
    };
    stack.push({ name: 'HTTP listener', stop: stopListening });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(listenProblem(error, config.http) ?? error));
      server.listen(config.http.port, config.http.host, resolve);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.http.port;
    // NOTE: bound to one address (HOST=127.0.0.1), that address is the one that answers; "localhost"
    // may resolve to ::1 first, and a Checkout return link must come back to this very origin.
    const host = ['0.0.0.0', '::', ''].includes(config.http.host) ? 'localhost' : config.http.host;
    const url = config.http.publicBaseUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

    let effectiveConfig = config;
    let stripe: StripeClient | undefined;
    let local: LocalStripe | undefined;
    if (!config.stripe.secretKey) {
      local = await startLocalStripe(config, logger);
      const emulator = local.emulator;
      stack.splice(stack.length - 1, 0, { name: 'Stripe emulator', stop: () => emulator.close() });
      stripe = local.client;
      const webhookSecret = await registerLocalWebhookEndpoint(stripe, `http://127.0.0.1:${port}`);
      // NOTE: links Stripe sends people back to (Checkout) need the port actually bound (PORT=0 picks one).
      const httpSettings = { ...config.http, publicBaseUrl: config.http.publicBaseUrl ?? url };
      effectiveConfig = { ...config, http: httpSettings, stripe: { ...config.stripe, webhookSecret } };
    }

    const services = buildServices({ config: effectiveConfig, logger, dataSource, stripe, local: local?.mode });
    if (stripe && config.env !== 'production') {
      // NOTE: local mode mirrors the catalog into the emulator; an unchanged catalog writes nothing.
      await syncCatalog({
        loaded: services.loadedCatalog,
        stripe,
        versions: services.catalogVersions,
        actor: 'local-start',
        dryRun: false,
        logger,
      });
    }
    await services.webhooks.startWorker();
    stack.push({ name: 'webhook worker', stop: () => services.webhooks.stopWorker() });
    services.events.startWorker();
    stack.push({ name: 'outbound event worker', stop: () => services.events.stopWorker() });
    const billing = services.billing;
    if (billing) {
      // NOTE: at start-up first: operations a crash interrupted are finished before new ones arrive.
      await billing.startJanitor();
      stack.push({ name: 'billing janitor', stop: () => billing.stopJanitor() });
    }
    const guarantees = services.guarantees;
    if (guarantees) {
      // NOTE: refunds a crash interrupted are finished with the same Stripe keys before new claims arrive.
      await guarantees.startJanitor();
      stack.push({ name: 'claims janitor', stop: () => guarantees.stopJanitor() });
    }
    // NOTE: awaited: the coming months' usage event partitions exist before the first event arrives.
    const usagePartitions = periodicTask(
      'usage partition maintenance',
      () => services.usage.maintainPartitions(),
      logger,
    );
    await usagePartitions.start(3_600_000);
    stack.push({ name: 'usage partition maintenance', stop: () => usagePartitions.stop() });
    await services.lifecycle.startJanitor();
    stack.push({ name: 'checkout recovery janitor', stop: () => services.lifecycle.stopJanitor() });
    const metrics = createMetrics();
    observeServices({ services, dataSource }, metrics);
    const readiness = new Readiness([databaseCheck(dataSource)], (check, error) =>
      logger.warn('readiness check failed', { check, error: String(error) }),
    );
    if (services.stripe) readiness.add(stripeCheck(services.stripe));
    const app = buildApp({ config: effectiveConfig, logger, metrics, readiness, services });
    serve(app);
    logger.info('listening', { url, port });
    if (config.demoData) {
      await seedDemoAccount(services.accounts);
      // NOTE: the banner goes to stdout, not the log: tokens never enter log lines.
      process.stdout.write(`${demoBanner({ url, token: demoToken(config), config })}\n`);
    }

    return {
      url,
      services,
      dataSource,
      shutdown: async (reason) => {
        logger.info('shutting down', { reason });
        readiness.startDraining();
        // NOTE: the listener stops first: no new work reaches the workers and janitors stopped after it.
        await stopListening().catch((error: unknown) =>
          logger.error('stopping HTTP listener failed', { error: String(error) }),
        );
        await stopAll(stack, logger);
        logger.info('stopped');
      },
    };
  } catch (error) {
    await stopAll(stack, logger);
    throw error;
  }
}

async function stopAll(stack: Array<{ name: string; stop: () => Promise<void> }>, logger: Logger): Promise<void> {
  while (stack.length > 0) {
    const part = stack.pop();
    if (!part) break;
    await part.stop().catch((error: unknown) => logger.error(`stopping ${part.name} failed`, { error: String(error) }));
  }
}
