import type { DataSource } from 'typeorm';
import type { Services } from '../composition';
import { registerDatabaseMetrics } from './database-metrics';
import type { Metrics } from './metrics';
import { watchStripeCalls } from './stripe-metrics';

/**
 * Metrics that matter to an operator: Stripe calls, usage and prompt counts from the services,
 * and the journal, webhook lag, job queue, refunds and conversions read from the database.
 * Counts what the services do, observed from the outside at the composition root: each
 * instrumented method is replaced on the instance by one that calls it and counts its result,
 * so no feature module imports prom-client. Call before building the app.
 */
export function observeServices(deps: { services: Services; dataSource: DataSource }, metrics: Metrics): void {
  const { services } = deps;
  registerDatabaseMetrics(metrics.registry, deps.dataSource);
  if (services.stripe) watchStripeCalls(services.stripe, metrics);

  const usage = services.usage;
  const ingest = usage.ingest.bind(usage);
  usage.ingest = async (body) => {
    const result = await ingest(body);
    metrics.countUsageEvents('accepted', result.accepted);
    metrics.countUsageEvents('duplicate', result.duplicates);
    metrics.countUsageEvents('rejected', result.rejected.length);
    return result;
  };

  const offers = services.offers;
  const promptsFor = offers.promptsFor.bind(offers);
  offers.promptsFor = async (request) => {
    const prompts = await promptsFor(request);
    metrics.countPromptsServed(prompts.length);
    return prompts;
  };
  // NOTE: the prompts front door answers a kept decision from here, without promptsFor.
  const keptPrompts = offers.keptPrompts.bind(offers);
  offers.keptPrompts = (request) => {
    const prompts = keptPrompts(request);
    if (prompts) metrics.countPromptsServed(prompts.length);
    return prompts;
  };
}
