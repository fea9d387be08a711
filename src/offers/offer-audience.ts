import type { OfferAudience, OfferSettings } from './offer-rules.types';
import { regionsOf } from './offer-market';
import type { OfferAccount } from './offers.types';

export interface AudienceSubject {
  account: OfferAccount;
  planCode: string;
  role: 'owner' | 'admin' | 'member';
}

/** An omitted list admits everyone; a listed one only the values on it. */
function admits<T>(list: readonly T[] | undefined, value: T | null): boolean {
  return list === undefined || (value !== null && list.includes(value));
}

/** Does the account (and the person asking) belong to the rule's audience? An omitted filter admits everyone. */
export function inAudience(
  audience: OfferAudience,
  subject: AudienceSubject,
  settings: Pick<OfferSettings, 'regions'>,
): boolean {
  const { account } = subject;
  if (!admits(audience.plans, subject.planCode)) return false;
  if (!admits(audience.countries, account.country.toUpperCase())) return false;
  if (!admits(audience.industries, account.industry)) return false;
  if (!admits<string>(audience.company_sizes, account.companySize)) return false;
  if (!admits(audience.roles, subject.role)) return false;
  if (audience.regions !== undefined) {
    const mine = regionsOf(settings, account.country);
    if (!audience.regions.some((region) => mine.includes(region))) return false;
  }
  return true;
}
