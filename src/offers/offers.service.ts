import type { Decline } from '../lifecycle/decline-reasons.repository';
import type { Pool } from 'pg';
import type { MessagesByLocale } from '../catalog/catalog-messages';
import type { Catalog } from '../catalog/catalog.types';
import { notFound } from '../shared/errors';
import { CoPurchaseCache } from './co-purchase-cache';
import { CoPurchaseRepository } from './co-purchase.repository';
import { compiledRules } from './compiled-rules';
import { evaluateOffers } from './evaluate-offers';
import { copyKeys } from './offer-copy';
import { OfferContextRepository } from './offer-context.repository';
import { OfferPromptsRepository, type EventOutcome } from './offer-prompts.repository';
import { OfferRuleSet } from './offer-rule-set';
import type { OfferRules, Placement } from './offer-rules.types';
import { OfferRulesRepository } from './offer-rules.repository';
import type { AssignVariant, EvaluationInput, PromptEventType } from './offers.types';
import type { PromptView } from './prompt.view';
import type { PromptCache } from './prompt-cache';
import { PromptLocales, type PromptLocale } from './prompt-locale';
import { renderPrompt } from './render-prompt';

/** NOTE: history older than this no longer matters (longest cool-down, caps, lifecycle windows) — except "never". */
const HISTORY_DAYS = 90;
const DAY_MS = 24 * 3600 * 1000;

export interface OffersServiceOptions {
  pool: () => Pool;
  catalog: Catalog;
  /** The catalog's words per locale (names, benefits, social proof). */
  words: MessagesByLocale;
  /** Offer copy per locale (offers/copy). */
  copy: MessagesByLocale;
  /** The validated rules file: market settings and the seed rules. */
  file: OfferRules;
  now: () => Date;
  /** Experiments (issue 10): a variant per account and rule. Absent: every rule as written. */
  assignVariant?: AssignVariant;
  /** Experiments: the running experiments as loaded (a new object whenever a reload finds them changed). */
  experimentsSnapshot?: () => unknown;
  /** Decisions kept between identical requests, dropped on any change to their account. Absent: none kept. */
  cache?: PromptCache;
  /** Guarantees: the days a purchase of the offer is refundable. Absent: the rule's own days. */
  guaranteeDays?: EvaluationInput['guaranteeDays'];
  /** Guarantees: the promise for an offer to this account, conditions included. Wins over `guaranteeDays`. */
  guarantee?: EvaluationInput['guarantee'];
  onInvalidRule?: (id: string, problems: string) => void;
  /** Experiments: the experiment arms an account was just exposed to (prompts shown, or held out). */
  recordExposures?: (exposed: ExposedAccount, exposures: ExperimentExposure[], at: Date) => Promise<void>;
}

/** Who was exposed, as they were then (results break down by country and plan at exposure). */
export interface ExposedAccount {
  accountId: string;
  country: string;
  plan: string;
}

export interface ExperimentExposure {
  key: string;
  variant: string;
  ruleId: string;
}

export interface PromptRequest {
  accountId: string;
  role: 'owner' | 'admin' | 'member';
  placement: Placement;
  feature?: string;
}

/** The offers module's face: prompts for a placement, customers' answers to them, and the rule set. */
export class OffersService {
  readonly rules: OfferRuleSet;
  readonly rulesRepository: OfferRulesRepository;
  readonly copyKeys: ReadonlySet<string>;
  private readonly context: OfferContextRepository;
  private readonly prompts: OfferPromptsRepository;
  private readonly coPurchases: CoPurchaseCache;
  private readonly locales: PromptLocales;

  readonly catalog: Catalog;
  /** The locales offers/copy/ has (`en`, `de`, …): the ones an operator may word a rule in. */
  readonly copyLocales: readonly string[];

  constructor(private readonly options: OffersServiceOptions) {
    this.catalog = options.catalog;
    this.context = new OfferContextRepository(options.pool, options.catalog);
    this.prompts = new OfferPromptsRepository(options.pool);
    this.rulesRepository = new OfferRulesRepository(options.pool);
    this.coPurchases = new CoPurchaseCache(new CoPurchaseRepository(options.pool), options.now);
    this.copyKeys = copyKeys(options.copy);
    this.copyLocales = Object.keys(options.copy).sort();
    this.locales = new PromptLocales(options.words, options.copy);
    this.rules = new OfferRuleSet({
      repository: this.rulesRepository,
      catalog: options.catalog,
      copyKeys: this.copyKeys,
      file: options.file,
      now: options.now,
      onInvalidRule: options.onInvalidRule,
    });
  }

  /**
   * The decision `promptsFor` would serve from memory for this request, if there is one; undefined
   * when answering needs any work (a read, a decision, the rules' first load). Synchronous, for the
   * prompts front door; `promptsFor` answers the same request the same way.
   */
  keptPrompts(request: PromptRequest): readonly PromptView[] | undefined {
    const { cache } = this.options;
    const rules = cache && this.rules.loaded();
    if (!rules) return undefined;
    const inputs = { rules, experiments: this.options.experimentsSnapshot?.() };
    return cache.get(request.accountId, decisionKey(request), inputs, this.options.now());
  }

  /** The prompts one person should see at one placement now, in their words; each shown one is recorded. */
  async promptsFor(request: PromptRequest): Promise<readonly PromptView[]> {
    const now = this.options.now();
    const { cache } = this.options;
    const rules = await this.rules.current();
    const inputs = { rules, experiments: this.options.experimentsSnapshot?.() };
    const key = decisionKey(request);
    const kept = cache?.get(request.accountId, key, inputs, now);
    if (kept) return kept;
    const ticket = cache?.ticket() ?? 0;
    const context = await this.context.load(request.accountId, now, new Date(now.getTime() - HISTORY_DAYS * DAY_MS));
    if (!context) throw notFound('Account');
    const { needsCoPurchases } = compiledRules(rules);
    const heldOut: ExperimentExposure[] = [];
    const decided = evaluateOffers({
      ...context,
      rules,
      catalog: this.options.catalog,
      now,
      placement: request.placement,
      feature: request.feature,
      role: request.role,
      coPurchases: needsCoPurchases ? await this.coPurchases.forSegment(context.account.industry) : {},
      guaranteeDays: this.options.guaranteeDays,
      guarantee: this.options.guarantee,
      assignVariant: this.options.assignVariant,
      onHeldOut: (rule, experiment) => heldOut.push({ ...experiment, ruleId: rule.id }),
    });
    // NOTE: impressions count once per prompt and day; a prompt already recorded today costs no write.
    const today = Math.floor(now.getTime() / DAY_MS);
    const recordedToday = new Set(
      context.history
        .filter((e) => e.type === 'impression' && Math.floor(e.at.getTime() / DAY_MS) === today)
        .map((e) => e.promptId),
    );
    const firstToday = decided.filter((d) => !recordedToday.has(d.promptId));
    await this.prompts.recordShown(request.accountId, firstToday, now);
    // NOTE: an exposure is the first impression, so a prompt already recorded today cannot be one (no write).
    const exposures = decided.flatMap((d) =>
      d.experiment && !recordedToday.has(d.promptId) ? [{ ...d.experiment, ruleId: d.rule.id }] : [],
    );
    if (this.options.recordExposures && exposures.length + heldOut.length > 0)
      await this.options.recordExposures(
        {
          accountId: request.accountId,
          country: context.account.country,
          plan: context.subscription?.planCode ?? 'free',
        },
        [...exposures, ...heldOut],
        now,
      );
    const render = {
      account: context.account,
      currentPlan: context.subscription?.planCode ?? 'free',
      catalog: this.options.catalog,
      locale: this.locales.get(context.account.locale),
      settings: rules,
      copyOverrides: (ruleId: string) => this.rules.copyOverrides(ruleId),
      trialsUsed: context.trialsUsed,
    };
    const views = decided.map((offer) => renderPrompt(offer, render));
    // NOTE: a decision that just recorded impressions changed its own inputs (the history): not kept.
    if (firstToday.length === 0) cache?.store(request.accountId, key, ticket, { views, inputs, now });
    return views;
  }

  /** Words, copy and formats of one locale, as prompts use them (the console's preview). */
  promptLocale(locale: string): PromptLocale {
    return this.locales.get(locale);
  }

  /** A customer's answer to one of their prompts; 404 for anyone else's (or no such) prompt. */
  async recordEvent(
    accountId: string,
    promptId: string,
    type: PromptEventType,
    decline?: Decline,
  ): Promise<Exclude<EventOutcome, 'not_found'>> {
    const outcome = await this.prompts.recordEvent(accountId, promptId, type, this.options.now(), decline);
    if (outcome === 'not_found') throw notFound('Prompt', 'id');
    return outcome;
  }
}

/** A decision's key within its account's kept decisions. */
const decisionKey = (request: PromptRequest) =>
  `${request.placement}\u0000${request.feature ?? ''}\u0000${request.role}`;
