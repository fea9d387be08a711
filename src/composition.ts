import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { Config } from './config/config';
import { AccountRepository } from './accounts/account.repository';
import type { AccountEntity } from './accounts/account.entity';
import type { AccountSection } from './accounts/accounts.routes';
import type { AccountHooks } from './accounts/upsert-account';
import type { Logger } from './shared/logger';
import type { AuthSettings } from './shared/http/authenticate';
import { loadCatalog, type LoadedCatalog } from './catalog/load-catalog';
import { CatalogVersionRepository } from './catalog/catalog-version.repository';
import { catalogViewerReader, type FindCatalogViewer } from './catalog/catalog-viewer.reader';
import type { Catalog } from './catalog/catalog.types';
import { UsageService } from './usage/usage.service';
import { accountChangesOf } from './shared/database/account-changes';
import { buildOffersService } from './offers/offers.module';
import type { OffersService } from './offers/offers.service';
import { createStripeClient, type StripeClient } from './stripe/stripe-client';
import { priceCodeResolver } from './webhooks/price-codes';
import { stripeObjectsFrom, UNCONFIGURED_STRIPE } from './webhooks/stripe-objects';
import { buildWebhookModule, type WebhookModule } from './webhooks/webhook-module';
import { buildBillingModule, type BillingModule } from './billing/billing.module';
import { ExperimentsModule } from './experiments/experiments.module';
import { AnalyticsRepository } from './analytics/analytics.repository';
import { pgPoolOf } from './usage/pg-pool';
import { buildGuaranteesModule, type GuaranteesModule } from './guarantees/guarantees.module';
import { guaranteePoliciesOf } from './guarantees/guarantee-policies';
import { offerGuarantee } from './guarantees/offer-guarantee-days';
import { highestUsageShare } from './guarantees/usage-share';
import type { LocalMode } from './local/local-mode';
import { buildEventsModule, type EventsModule } from './events/events.module';
import { AdminRequests } from './admin-requests/admin-requests';
import { accountInvoicesReader, type ReadAccountInvoices } from './invoices/account-invoices.reader';
import { OperatorKeysRepository } from './operators/operator-keys.repository';
import { AuditLogRepository } from './operators/audit-log.repository';
import { CustomersRepository } from './customers/customers.repository';
import { buildLifecycleModule, type LifecycleModule } from './lifecycle/lifecycle.module';

export interface Services {
  auth: AuthSettings;
  accounts: AccountRepository;
  accountHooks: AccountHooks;
  accountSections: AccountSection[];
  catalog: Catalog;
  /** The catalog with its locale messages and version hash, as loaded at start-up. */
  loadedCatalog: LoadedCatalog;
  catalogVersions: CatalogVersionRepository;
  findCatalogViewer: FindCatalogViewer;
  /** The Stripe SDK client (real Stripe, or the emulator in local mode); absent when none is configured. */
  stripe?: StripeClient;
  /** Usage metering: ingestion, entitlements, threshold crossings and projections. */
  usage: UsageService;
  /** The clock every time-dependent decision reads; tests move it to simulate days. */
  clock: { now(): Date };
  /** Local mode (the emulator in process): the clock shared with the emulator and its skip-ahead. */
  local?: LocalMode;
  /** Offers engine: prompts, customers' answers to them, offer rules. */
  offers: OffersService;
  /** Experiments on offers: definitions, assignment, exposures, results. */
  experiments: ExperimentsModule;
  /** Analytics: the funnel and revenue read models, and the gross margin lifetime value uses. */
  analytics: { repository: AnalyticsRepository; grossMargin: number };
  /** Stripe webhooks: inbox, processing worker, replay and reconciliation. */
  webhooks: WebhookModule;
  /** Quotes, plan changes, cancellations and their janitor; absent when no Stripe client is configured. */
  billing?: BillingModule;
  /** Money-back guarantees: eligibility, claims, refunds and reversals; absent without Stripe. */
  guarantees?: GuaranteesModule;
  /** "Ask your admin": members' requests to the account's owner (the billing page). */
  adminRequests: AdminRequests;
  /** The account's invoices from the invoice mirror (the billing page). */
  readInvoices: ReadAccountInvoices;
  /** The pg Pool under the DataSource: rate-limit counters shared by every instance live there. */
  pool: () => Pool;
  /** Outbound events: operators' endpoints and the outbox's delivery worker. */
  events: EventsModule;
  /** Operator keys per person (roles) and the audit log of their actions. */
  operators: {
    keys: OperatorKeysRepository;
    auditLog: AuditLogRepository;
    customers: CustomersRepository;
    dataSource: DataSource;
  };
  /** Lifecycle (issue #20): cancel preview, decline reasons, recovery, lifecycle analytics. */
  lifecycle: LifecycleModule;
}

export interface ServiceInputs {
  config: Config;
  logger: Logger;
  dataSource: DataSource;
  /** The validated catalog with its locale messages; loaded from config.catalogFile (or the demo catalog) when not given. */
  loadedCatalog?: LoadedCatalog;
  /** The Stripe SDK client (the emulator's in local mode); built from config.stripe.secretKey when not given. */
  stripe?: StripeClient;
  /** Local mode only: the service's clock is the emulator's, and customers live on test clocks. */
  local?: LocalMode;
  /** Tests: the clock time-dependent decisions read (local mode's clock wins). */
  clock?: { now(): Date };
}

/** Where Checkout sends the customer back: the demo page in local mode, else the account. */
function checkoutReturnUrl(config: Config): string {
  const base = config.http.publicBaseUrl ?? `http://localhost:${config.http.port}`;
  const local = config.demoData && config.env !== 'production' && !config.stripe.secretKey;
  return local ? `${base}/demo?checkout=returned` : `${base}/v1/account`;
}

/** The composition root: every long-lived object is built here, once, and passed explicitly. */
export function buildServices(inputs: ServiceInputs): Services {
  const { config, dataSource } = inputs;
  const loadedCatalog = inputs.loadedCatalog ?? loadCatalog(config.catalogFile);
  const { catalog } = loadedCatalog;
  const clock = inputs.local?.clock ?? inputs.clock ?? { now: () => new Date() };
  const usage = new UsageService({
    dataSource,
    catalog,
    now: () => clock.now(),
    eventsRetentionMonths: config.usage.eventsRetentionMonths,
    changes: accountChangesOf(dataSource),
    accountState: accountChangesOf(dataSource).accountState,
    cacheSeconds: config.usage.entitlementCacheSeconds,
  });
  const stripe =
    inputs.stripe ?? (config.stripe.secretKey ? createStripeClient({ secretKey: config.stripe.secretKey }) : undefined);
  const accounts = new AccountRepository(dataSource);
  const resolvePrice = priceCodeResolver({
    planCodes: catalog.plans.map((plan) => plan.code),
    addOnCodes: catalog.add_ons.map((addOn) => addOn.code),
  });
  const billing = stripe
    ? buildBillingModule({
        dataSource,
        stripe,
        catalog,
        messages: loadedCatalog.messages,
        accounts,
        logger: inputs.logger,
        clock,
        resolvePrice,
        quoteTtlSeconds: 30 * 60,
        checkoutReturnUrl: checkoutReturnUrl(config),
        ...(inputs.local ? { customerClocks: inputs.local.customerClocks } : {}),
      })
    : undefined;
  const guarantees = stripe
    ? buildGuaranteesModule({
        dataSource,
        stripe,
        policies: guaranteePoliciesOf(catalog),
        accounts,
        logger: inputs.logger,
        clock,
        resolvePrice,
        usageShare: highestUsageShare(usage),
      })
    : undefined;
  const experiments = new ExperimentsModule({
    pool: () => pgPoolOf(dataSource),
    now: () => clock.now(),
    onError: (error) => inputs.logger.error('experiments snapshot refresh failed', { error }),
  });
  // NOTE: the first snapshot loads in the background; until it lands (milliseconds) prompts carry no experiment.
  void experiments.registry
    .refresh()
    .catch((error: unknown) => inputs.logger.warn('experiments not loaded yet', { error }));
  const operatorKeys = new OperatorKeysRepository(() => pgPoolOf(dataSource));
  const lifecycle = buildLifecycleModule({
    dataSource,
    catalog,
    entitlements: (accountId) => usage.entitlements(accountId),
    clock,
    logger: inputs.logger,
    checkoutRecoveryMinutes: config.lifecycle.checkoutRecoveryMinutes,
    messages: loadedCatalog.messages,
  });
  return {
    lifecycle,
    auth: { jwt: config.jwt, apiKeys: config.apiKeys, operatorKeys: (digest) => operatorKeys.findByDigest(digest) },
    operators: {
      keys: operatorKeys,
      auditLog: new AuditLogRepository(() => pgPoolOf(dataSource)),
      customers: new CustomersRepository(() => pgPoolOf(dataSource)),
      dataSource,
    },
    accounts,
    accountHooks: {
      ...(billing ? { afterUpsert: (account: AccountEntity) => billing.afterAccountUpsert(account) } : {}),
      afterCreate: async (account: AccountEntity) => void (await lifecycle.startReverseTrial(account.id)),
    },
    accountSections: [
      ...(billing ? [(account: AccountEntity) => billing.accountSection(account)] : []),
      ...(guarantees ? [(account: AccountEntity) => guarantees.accountSection(account)] : []),
      (account: AccountEntity) => lifecycle.accountSection(account.id),
    ],
    billing,
    guarantees,
    catalog,
    loadedCatalog,
    catalogVersions: new CatalogVersionRepository(dataSource),
    findCatalogViewer: catalogViewerReader(dataSource, clock),
    adminRequests: new AdminRequests(dataSource, clock),
    readInvoices: accountInvoicesReader(dataSource),
    stripe,
    usage,
    clock,
    local: inputs.local,
    offers: buildOffersService({
      dataSource,
      catalog,
      words: loadedCatalog.messages,
      now: () => clock.now(),
      logger: inputs.logger,
      assignVariant: experiments.registry.assign,
      experimentsSnapshot: () => experiments.registry.snapshot,
      promptCacheSeconds: config.offers.promptCacheSeconds,
      recordExposures: experiments.recordExposures,
      guarantee: offerGuarantee(guaranteePoliciesOf(catalog)),
    }),
    experiments,
    pool: () => pgPoolOf(dataSource),
    events: buildEventsModule({
      pool: () => pgPoolOf(dataSource),
      logger: inputs.logger,
      clock,
      production: config.env === 'production',
      timeoutMs: config.events.deliveryTimeoutMs,
      retentionDays: config.events.retentionDays,
    }),
    analytics: {
      repository: new AnalyticsRepository(() => pgPoolOf(dataSource)),
      grossMargin: config.analytics.grossMargin,
    },
    webhooks: buildWebhookModule({
      dataSource,
      logger: inputs.logger,
      webhookSecret: config.stripe.webhookSecret,
      stripe: stripe ? stripeObjectsFrom(stripe) : UNCONFIGURED_STRIPE,
      resolvePrice,
      hooks: {
        ...(guarantees ? { onEffect: (manager, effect) => guarantees.onWebhookEffect(manager, effect) } : {}),
        // A change waiting on the customer is finished as soon as Stripe's event says it is paid or lapsed.
        ...(billing ? { settleBilling: (refs) => billing.settleFromStripe(refs) } : {}),
      },
    }),
  };
}
