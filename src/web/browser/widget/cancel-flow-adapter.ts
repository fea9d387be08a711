import type { TierliftClient } from '../client/tierlift-client';
import type { Change } from '../client/tierlift-types';

/**
 * The one place the billing page meets the lifecycle issue's cancel API
 * (`GET /v1/subscription/cancel-preview`, `POST /v1/subscription/cancel { reason?, reason_text? }`):
 * if those shapes move, only this file changes.
 */
export interface CancelOffer {
  effectiveAt: string;
  alternatives: Array<{
    plan: string;
    interval: 'month' | 'year';
    amount: number;
    currency: string;
    fitsUsage: boolean;
  }>;
}

export async function loadCancelOffer(client: TierliftClient): Promise<CancelOffer> {
  const preview = await client.cancelPreview();
  return {
    effectiveAt: preview.cancel.effective_at,
    alternatives: preview.alternatives
      .filter((alternative) => alternative.kind === 'smaller_plan')
      .map((alternative) => ({
        plan: alternative.plan,
        interval: alternative.interval,
        amount: alternative.price.amount,
        currency: alternative.price.currency,
        fitsUsage: alternative.fits_usage,
      })),
  };
}

/** Cancels at the period's end; the reason fields go only when the customer gave them. */
export function confirmCancel(client: TierliftClient, reason: string, reasonText: string): Promise<Change> {
  return client.cancelSubscription({
    ...(reason ? { reason } : {}),
    ...(reasonText.trim() ? { reason_text: reasonText.trim() } : {}),
  });
}
