import type { DataSource } from 'typeorm';
import type { MessagesByLocale } from '../catalog/catalog-messages';
import type { Catalog } from '../catalog/catalog.types';
import { accountChangesOf } from '../shared/database/account-changes';
import type { Logger } from '../shared/logger';
import { pgPoolOf } from '../usage/pg-pool';
import { defaultOfferRulesFile, loadOfferRulesFile } from './load-offer-rules';
import { copyKeys, loadOfferCopy } from './offer-copy';
import { OffersService, type OffersServiceOptions } from './offers.service';
import { PromptCache } from './prompt-cache';

/** Accounts whose decisions are kept at most (a few kB each). */
const PROMPT_CACHE_ACCOUNTS = 50_000;

export interface OffersModuleInputs {
  dataSource: DataSource;
  catalog: Catalog;
  /** The catalog's locale messages: names, benefits and social proof. */
  words: MessagesByLocale;
  now: () => Date;
  logger?: Logger;
  rulesFile?: string;
  /** Experiments (issue 10) plug in here: a variant per account and rule. */
  assignVariant?: OffersServiceOptions['assignVariant'];
  experimentsSnapshot?: OffersServiceOptions['experimentsSnapshot'];
  /** PROMPT_CACHE_SECONDS: 0 or absent keeps no decisions. */
  promptCacheSeconds?: number;
  /** Experiments record who saw which arm here. */
  recordExposures?: OffersServiceOptions['recordExposures'];
  /** Guarantees plug in here: the refundable days of an offer. */
  guaranteeDays?: OffersServiceOptions['guaranteeDays'];
  /** Guarantees plug in here: what a purchase of an offer is promised for this account (wins over the days). */
  guarantee?: OffersServiceOptions['guarantee'];
}

/** Builds the offers engine: copy and rules file read and validated once, rules and catalog cached in memory. */
export function buildOffersService(inputs: OffersModuleInputs): OffersService {
  const copy = loadOfferCopy();
  return new OffersService({
    pool: () => pgPoolOf(inputs.dataSource),
    catalog: inputs.catalog,
    words: inputs.words,
    copy,
    file: loadOfferRulesFile(inputs.rulesFile ?? defaultOfferRulesFile(), inputs.catalog, copyKeys(copy)),
    now: inputs.now,
    assignVariant: inputs.assignVariant,
    experimentsSnapshot: inputs.experimentsSnapshot,
    cache: inputs.promptCacheSeconds
      ? new PromptCache({
          ttlMs: inputs.promptCacheSeconds * 1000,
          maxAccounts: PROMPT_CACHE_ACCOUNTS,
          changes: accountChangesOf(inputs.dataSource),
        })
      : undefined,
    recordExposures: inputs.recordExposures,
    guaranteeDays: inputs.guaranteeDays,
    guarantee: inputs.guarantee,
    onInvalidRule: (id, problems) =>
      inputs.logger?.warn('offer rule skipped: invalid for this catalog', { rule: id, problems }),
  });
}
