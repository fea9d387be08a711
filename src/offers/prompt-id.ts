import crypto from 'node:crypto';

/**
 * A prompt's id: the same for one account, rule and period, so impressions, clicks and later
 * conversions attach to one prompt; unguessable without the account id (still checked on use).
 */
export function promptId(accountId: string, ruleId: string, periodKey: string): string {
  const digest = crypto.createHash('sha256').update(`${accountId}\u0000${ruleId}\u0000${periodKey}`).digest('hex');
  return `prm_${digest.slice(0, 24)}`;
}
