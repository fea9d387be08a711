import { z } from 'zod';
import { guaranteeConditionsSchema } from '../guarantees/promised-guarantee.schema';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { currencyCode, minorUnits, timestamp } from '../openapi/response-schemas';
import { offerRuleSchema, offerRulesFileSchema, placementSchema } from './offer-rule.schema';
import {
  promptEventBodySchema,
  promptEventParamsSchema,
  promptsQuerySchema,
  ruleParamsSchema,
} from './offers.validators';

const money = z.strictObject({ amount: minorUnits, currency: currencyCode, formatted: z.string() });
const moneyInWords = money.extend({ words: z.string() });

/** PromptView (src/offers/prompt.view.ts). */
export const promptSchema = z
  .strictObject({
    id: z.string(),
    kind: z.enum(['upsell', 'cross_sell', 'bundle']),
    placement: placementSchema,
    offer: z.strictObject({
      type: z.enum(['plan', 'addon', 'bundle']),
      code: z.string(),
      name: z.string(),
      interval: z.enum(['month', 'year', 'one_time']),
      quantity: z.number().int(),
      price: moneyInWords.meta({ description: 'What the customer pays per interval (a bundle: its first invoice).' }),
      price_basis: z.enum(['due_now', 'list', 'after_trial']).meta({
        description:
          "`due_now`: the price is what this account pays now (the quote's amount due, before tax); `list`: a list price, the amount due now (after credit for unused time) is on the quote; `after_trial`: the plan's free trial starts first — nothing today, this price when it ends (the quote's `next_invoice`).",
      }),
      price_note: z
        .string()
        .nullable()
        .meta({ description: 'Words beside a list price; null when the price is due now.' }),
      savings: moneyInWords.nullable(),
      discount: z.strictObject({ percent_off: z.number(), regular_price: money }).nullable(),
      renewal_terms: z.string(),
      guarantee_days: z.number().int().nullable(),
      guarantee_conditions: guaranteeConditionsSchema
        .nullable()
        .meta({ description: 'The rules the guarantee comes with; null when none is promised.' }),
    }),
    copy: z.strictObject({
      title: z.string(),
      body: z.string(),
      cta: z.string(),
      decline: z.string(),
      snooze: z.string(),
      never: z.string(),
      locale: z.string(),
      benefits: z.array(z.string()),
      details: z.array(z.string()),
      social_proof: z.array(z.string()),
      guarantee: z.string().nullable(),
      guarantee_terms: z.array(z.string()).meta({ description: "The guarantee's conditions in plain words." }),
      ends: z.string().nullable().meta({ description: 'Only when the offer has a real end date.' }),
      compare: z.string(),
      ask_admin_note: z.string().nullable().meta({ description: 'Members: why they cannot buy here and whom to ask.' }),
    }),
    reason: z.strictObject({
      trigger: z.string(),
      feature: z.string().optional(),
      percent: z.number().optional(),
      threshold: z.number().optional(),
      projected_limit_at: timestamp.nullable().optional(),
      text: z.string().meta({ description: '"Why am I seeing this", in plain words.' }),
    }),
    actions: z.array(
      z.strictObject({
        type: z.enum(['purchase', 'ask_admin', 'dismiss', 'snooze', 'never']),
        label: z.string(),
        quote: z
          .record(z.string(), z.unknown())
          .optional()
          .meta({ description: 'The body to send to POST /v1/quotes for this offer.' }),
      }),
    ),
    comparison_url: z.string(),
    ends_at: timestamp.nullable(),
    tone: z.string(),
    experiment: z.strictObject({ key: z.string(), variant: z.string() }).optional(),
  })
  .meta({ id: 'Prompt' });

/** One offer rule (a request body's variant is OfferRuleInput: defaults may be left out). */
const offerRule = offerRuleSchema.meta({ id: 'OfferRule' });

const ruleNotFound = errorResponse('No offer rule with this id.');
const ruleInvalid = errorResponse('The rule is invalid (`offer_rule_invalid`, every problem in `errors`).');
const tags = ['Offers'];

export const offersRouteSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/prompts',
    summary: 'The offers to show the caller at a placement, if any',
    tags,
    security: 'user',
    query: promptsQuerySchema,
    responses: {
      200: {
        description: 'Zero or more prompts.',
        schema: z.strictObject({ object: z.literal('list'), placement: placementSchema, data: z.array(promptSchema) }),
      },
    },
  },
  {
    method: 'post',
    path: '/v1/prompts/{id}/events',
    summary: 'Record what the person did with a prompt',
    tags,
    security: 'user',
    params: promptEventParamsSchema,
    body: promptEventBodySchema,
    responses: {
      200: {
        description: 'Recorded (or already recorded: `recorded: false`).',
        schema: z.strictObject({
          object: z.literal('prompt_event'),
          prompt_id: z.string(),
          type: promptEventBodySchema.shape.type,
          recorded: z.boolean(),
        }),
      },
      404: errorResponse('No such prompt for this account.'),
    },
  },
  {
    method: 'get',
    path: '/admin/v1/offers',
    summary: 'The offer rules and their settings',
    tags,
    security: 'admin',
    responses: {
      200: {
        description: 'The rules, and the settings they share (defaults, regions, tone profiles, markets).',
        schema: z.strictObject({
          object: z.literal('list'),
          data: z.array(offerRule),
          settings: offerRulesFileSchema.omit({ rules: true }),
        }),
      },
    },
  },
  {
    method: 'post',
    path: '/admin/v1/offers',
    summary: 'Create an offer rule',
    tags,
    security: 'admin',
    body: offerRule,
    responses: {
      201: { description: 'The rule as stored.', schema: offerRule },
      409: errorResponse('A rule with this id exists (`offer_rule_exists`); PUT it instead.'),
      422: ruleInvalid,
    },
  },
  {
    method: 'get',
    path: '/admin/v1/offers/{id}',
    summary: 'One offer rule',
    tags,
    security: 'admin',
    params: ruleParamsSchema,
    responses: { 200: { description: 'The rule.', schema: offerRule }, 404: ruleNotFound },
  },
  {
    method: 'put',
    path: '/admin/v1/offers/{id}',
    summary: 'Create or replace an offer rule',
    tags,
    security: 'admin',
    params: ruleParamsSchema,
    body: offerRuleSchema.partial({ id: true }).meta({ description: 'The rule; its id, if sent, must be the path’s.' }),
    responses: {
      200: { description: 'Replaced.', schema: offerRule },
      201: { description: 'Created.', schema: offerRule },
      422: ruleInvalid,
    },
  },
  {
    method: 'delete',
    path: '/admin/v1/offers/{id}',
    summary: 'Delete an offer rule',
    tags,
    security: 'admin',
    params: ruleParamsSchema,
    responses: { 204: { description: 'Deleted.' }, 404: ruleNotFound },
  },
];
