import type { EntityManager } from 'typeorm';
import type { AccountEntity } from '../accounts/account.entity';
import type { UserPrincipal } from '../shared/http/principal';
import type { WebhookEffect } from '../webhooks/webhook-effects';
import { claimRefund } from './claim-refund';
import { finishInterruptedClaims, type ClaimJanitorReport } from './finish-interrupted-claims';
import type { GuaranteeDeps } from './guarantee-deps';
import type { GuaranteePolicies } from './guarantee.types';
import { manualRefund, type ManualRefundRequest } from './manual-refund';
import { refundClaimView } from './refund-claim.view';
import { refundClaims } from './refund-claims.repository';
import { refundEligibility, type EligibilityLine } from './refund-eligibility';
import { setTrainingStart } from './set-training-start';
import { periodicTask } from '../shared/periodic-task';
import { emitExpiringGuarantees } from './guarantee-expiring';

/** The guarantees module's face: each method is one use case. */
export interface GuaranteesModule {
  readonly dataSource: GuaranteeDeps['dataSource'];
  policies(): GuaranteePolicies | null;
  eligibility(principal: UserPrincipal): Promise<EligibilityLine[]>;
  claim(principal: UserPrincipal, request: { purchaseId: string; reason: string }): Promise<Record<string, unknown>>;
  manualRefund(request: ManualRefundRequest): Promise<Record<string, unknown>>;
  listClaims(query: { limit: number; accountId?: string }): Promise<Array<Record<string, unknown>>>;
  setTrainingStart(input: { accountId: string; code: string; startsAt: Date }): Promise<{ purchaseIds: string[] }>;
  /** Account section: `refunds` in GET /v1/account. */
  accountSection(account: AccountEntity): Promise<Record<string, unknown>>;
  /** Webhook hook: `charge.refunded` confirms the claims of that charge (once; nothing else changes). */
  onWebhookEffect(manager: EntityManager, effect: WebhookEffect): Promise<void>;
  /** Carries interrupted claims forward now (the janitor's single run). */
  finishInterruptedClaims(): Promise<ClaimJanitorReport>;
  /** Runs the claims janitor now and then every `intervalMs`. */
  startJanitor(intervalMs?: number): Promise<void>;
  stopJanitor(): Promise<void>;
  /** Emits `guarantee.expiring` for guarantees ending within 3 days (once each); run hourly beside the janitor. */
  emitExpiringGuarantees(): Promise<number>;
}

export function buildGuaranteesModule(deps: GuaranteeDeps): GuaranteesModule {
  const janitor = periodicTask('claims janitor', () => finishInterruptedClaims(deps), deps.logger);
  const expiring = periodicTask('guarantee expiry scan', () => emitExpiringGuarantees(deps), deps.logger);
  return {
    dataSource: deps.dataSource,
    policies: () => deps.policies ?? null,
    eligibility: (principal) => refundEligibility(deps, principal.accountId),
    claim: async (principal, request) => refundClaimView(await claimRefund(deps, principal, request)),
    manualRefund: async (request) => refundClaimView(await manualRefund(deps, request)),
    setTrainingStart: (input) => setTrainingStart(deps, input),
    listClaims: async (query) => (await refundClaims.list(deps.dataSource, query)).map(refundClaimView),
    accountSection: async (account) => ({
      refunds: (await refundClaims.ofAccount(deps.dataSource, account.id)).map(refundClaimView),
    }),
    onWebhookEffect: async (manager, effect) => {
      if (effect.effect !== 'charge.refunded' || !effect.targetId) return;
      await refundClaims.confirm(manager, effect.targetId);
    },
    finishInterruptedClaims: () => finishInterruptedClaims(deps),
    startJanitor: async (intervalMs = 60_000) => {
      await janitor.start(intervalMs);
      // NOTE: not awaited: the scan reads Stripe ledgers and must not hold up start-up.
      void expiring.start(3_600_000);
    },
    stopJanitor: async () => {
      await Promise.all([janitor.stop(), expiring.stop()]);
    },
    emitExpiringGuarantees: () => emitExpiringGuarantees(deps),
  };
}
