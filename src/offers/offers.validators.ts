import { z } from 'zod';
import { placementSchema } from './offer-rule.schema';

const code = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a feature code such as sso');

export const promptsQuerySchema = z
  .strictObject({ placement: placementSchema.default('dashboard'), feature: code.optional() })
  .refine((q) => q.placement !== 'feature_gate' || q.feature !== undefined, {
    path: ['feature'],
    message: 'placement=feature_gate needs the feature the user tried to use',
  });

export const PROMPT_ID = /^prm_[0-9a-f]{24}$/;

export const promptEventParamsSchema = z.strictObject({ id: z.string().min(1).max(64) });

export const promptEventBodySchema = z
  .strictObject({
    type: z.enum(['impression', 'click', 'dismiss', 'snooze', 'never']),
    /** With `dismiss` (the decline) only: why, optional (issue #20). */
    reason: z.enum(['too_expensive', 'not_now', 'missing_feature', 'other']).optional(),
    reason_text: z.string().trim().min(1).max(500).optional(),
  })
  .refine((body) => body.type === 'dismiss' || (body.reason === undefined && body.reason_text === undefined), {
    message: 'A reason goes with a dismiss (the decline) only.',
    path: ['reason'],
  });

export const ruleParamsSchema = z.strictObject({ id: code });

const copyMessage = z.string().trim().min(1).max(1000);
/** One locale's prompt copy: the keys the prompt's copy has, at least one. */
export const localeCopySchema = z
  .strictObject({ title: copyMessage.optional(), body: copyMessage.optional(), cta: copyMessage.optional() })
  .refine((c) => Object.keys(c).length > 0, { message: 'Give at least one of title, body, cta.' });

export const ruleLocaleParamsSchema = z.strictObject({
  id: code,
  locale: z.string().regex(/^[a-z]{2,3}$/, 'must be a language code such as de'),
});

export const copyPreviewBodySchema = z.strictObject({
  locale: z.string().regex(/^[a-z]{2,3}$/, 'must be a language code such as de'),
  copy: z
    .strictObject({ title: copyMessage.optional(), body: copyMessage.optional(), cta: copyMessage.optional() })
    .optional(),
});
