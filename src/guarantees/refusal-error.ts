import { unprocessable, type AppError } from '../shared/errors';
import type { RefusalReason } from './guarantee.types';

const MESSAGES: Record<RefusalReason, string> = {
  not_covered: 'No money-back guarantee covers this purchase.',
  renewal_not_covered: 'Renewals are not covered by the money-back guarantee.',
  window_closed: 'The money-back guarantee window for this purchase has closed.',
  already_refunded: 'This purchase has already been refunded.',
  already_claimed: 'The money-back guarantee for this product has already been used on this account.',
  cycling_limit: 'This account has used the money-back guarantee as often as the policy allows this year.',
  training_started: 'The training has already started, so the guarantee no longer applies.',
  usage_above_limit: 'Usage of the new limits is above what the guarantee allows.',
  nothing_to_refund: 'Nothing of this charge is left to refund.',
  later_purchases_first:
    'This subscription also holds add-ons bought later; refund or remove those first, then this purchase can be taken back.',
};

/** A claim refused by the policy: 422 with the reason as the code and the deadline when there was one. */
export function refusalError(reason: RefusalReason, deadline: Date | null): AppError {
  return unprocessable(reason, MESSAGES[reason], 'purchase_id', {
    reason,
    deadline: deadline ? deadline.toISOString() : null,
  });
}
