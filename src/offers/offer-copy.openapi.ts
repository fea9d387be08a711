import { z } from 'zod';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { copyPreviewBodySchema, localeCopySchema, ruleLocaleParamsSchema, ruleParamsSchema } from './offers.validators';

const tags = ['Offers'];
const localeCopy = z.strictObject({
  title: z.string().optional(),
  body: z.string().optional(),
  cta: z.string().optional(),
});
const ruleCopy = z.strictObject({
  object: z.literal('offer_copy'),
  rule: z.string(),
  overrides: z.record(z.string(), localeCopy).meta({ description: 'The operator’s copy by locale (`de`).' }),
});
const ruleNotFound = errorResponse('No such offer rule.');
const copyInvalid = errorResponse(
  'A message is not ICU MessageFormat or uses an argument the prompt does not give (`offer_copy_invalid`, `param` names the key), or no copy exists for the locale (`offer_copy_locale`).',
);

/** Operator copy per rule and locale (issue #23), and its live preview. */
export const offerCopyRouteSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/admin/v1/offers/{id}/copy',
    summary: 'An offer rule’s copy per locale',
    tags,
    security: 'admin',
    params: ruleParamsSchema,
    responses: {
      200: {
        description: 'The saved copy by locale, and the locales copy may be written in.',
        schema: ruleCopy.extend({ locales: z.array(z.string()) }),
      },
      404: ruleNotFound,
    },
  },
  {
    method: 'put',
    path: '/admin/v1/offers/{id}/copy/{locale}',
    summary: 'Save an offer rule’s copy for one locale',
    description: 'Replaces the locale’s copy; keys left out fall back to the catalog’s copy (offers/copy/).',
    tags,
    security: 'admin',
    params: ruleLocaleParamsSchema,
    body: localeCopySchema,
    responses: { 200: { description: 'Saved.', schema: ruleCopy }, 404: ruleNotFound, 422: copyInvalid },
  },
  {
    method: 'delete',
    path: '/admin/v1/offers/{id}/copy/{locale}',
    summary: 'Reset an offer rule’s copy for one locale to the catalog’s',
    tags,
    security: 'admin',
    params: ruleLocaleParamsSchema,
    responses: { 200: { description: 'Reset.', schema: ruleCopy }, 404: ruleNotFound, 422: copyInvalid },
  },
  {
    method: 'post',
    path: '/admin/v1/offers/{id}/preview',
    summary: 'Preview an offer rule’s prompt copy without saving',
    description: 'Draft copy over saved copy over the catalog’s, filled with sample values from the rule’s target.',
    tags,
    security: 'admin',
    params: ruleParamsSchema,
    body: copyPreviewBodySchema,
    responses: {
      200: {
        description: 'The title, body and cta as the prompt would word them.',
        schema: z.strictObject({
          object: z.literal('offer_copy_preview'),
          rule: z.string(),
          locale: z.string(),
          copy: z.strictObject({ title: z.string(), body: z.string(), cta: z.string() }),
        }),
      },
      404: ruleNotFound,
      422: copyInvalid,
    },
  },
];
