import type { UsageService } from '../usage/usage.service';

/** The highest share (0–1) of any finite metered limit the account uses now; null when unknown. */
export function highestUsageShare(usage: UsageService): (accountId: string) => Promise<number | null> {
  return async (accountId) => {
    const entitlements = await usage.entitlements(accountId);
    if (!entitlements) return null;
    const shares = entitlements.entitlements.flatMap((e) =>
      e.type === 'metered' && e.percent !== null ? [e.percent / 100] : [],
    );
    return shares.length > 0 ? Math.max(...shares) : 0;
  };
}
