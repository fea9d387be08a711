import type { z } from 'zod';
import type {
  capsSchema,
  offerRuleSchema,
  offerRulesFileSchema,
  PLACEMENTS,
  toneProfileSchema,
} from './offer-rule.schema';

/** A validated offer rule. */
export type OfferRule = z.output<typeof offerRuleSchema>;
export type OfferTrigger = OfferRule['trigger'];
export type OfferSpec = OfferRule['offer'];
export type OfferAudience = OfferRule['audience'];
export type Caps = z.output<typeof capsSchema>;
export type ToneProfile = z.output<typeof toneProfileSchema>;
export type Placement = (typeof PLACEMENTS)[number];

/** The validated rules file: rules plus the market configuration they are judged by. */
export type OfferRules = z.output<typeof offerRulesFileSchema>;
export type OfferSettings = Omit<OfferRules, 'rules'>;

/** A problem in a rules document, with the path of the offending value (`rules[2].offer.plan`). */
export interface RuleProblem {
  path: string;
  message: string;
}
