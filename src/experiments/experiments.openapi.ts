import { z } from 'zod';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { timestamp } from '../openapi/response-schemas';
import { declareWinnerSchema, experimentKeyParamsSchema, experimentSchema } from './experiment.schema';

/** experimentView: the definition as validated plus its state. */
const experimentViewSchema = z
  .strictObject({
    object: z.literal('experiment'),
    ...experimentSchema.shape,
    status: z.enum(['draft', 'running', 'stopped']),
    started_at: timestamp.nullable(),
    stopped_at: timestamp.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Experiment' });

const proportion = z.strictObject({
  successes: z.number().int(),
  trials: z.number().int(),
  rate: z.number(),
  lower: z.number(),
  upper: z.number(),
});
const interval = z.strictObject({ value: z.number(), lower: z.number(), upper: z.number() });
const breakdownArm = z.strictObject({ variant: z.string(), conversions: proportion });

const verdictSchema = z.strictObject({
  kind: z.enum([
    'sample_ratio_mismatch',
    'guardrail_breach',
    'insufficient_sample',
    'no_difference',
    'b_ahead',
    'a_ahead',
  ]),
  words: z.string(),
  breached: z.array(z.string()),
});

/** ExperimentResults (src/experiments/experiment-results.ts) in snake_case. */
const resultsSchema = z.strictObject({
  object: z.literal('experiment_results'),
  experiment: experimentViewSchema,
  arms: z.array(
    z.strictObject({
      variant: z.string(),
      exposures: z.number().int(),
      conversions: proportion,
      revenue_per_account: z
        .strictObject({
          count: z.number().int(),
          mean: z.number(),
          standard_deviation: z.number(),
          lower: z.number(),
          upper: z.number(),
        })
        .meta({ description: "Revenue per exposed account in the experiment's currency (minor units)." }),
      refunds: proportion,
      dismissals: proportion,
    }),
  ),
  currency: z.string().nullable(),
  sample_ratio: z.strictObject({ statistic: z.number(), p_value: z.number(), mismatch: z.boolean() }),
  comparisons: z.array(
    z.strictObject({
      control: z.string(),
      treatment: z.string(),
      difference: interval,
      relative_uplift: interval.extend({ value: z.number().nullable() }).nullable(),
      z_test: z.strictObject({ z: z.number(), p_value: z.number() }),
      revenue_difference: interval.nullable(),
      verdict: verdictSchema,
    }),
  ),
  breakdown: z.strictObject({
    country: z.record(z.string(), z.array(breakdownArm)),
    plan: z.record(z.string(), z.array(breakdownArm)),
  }),
});

const notFound = errorResponse('No experiment with this key.');
const invalid = errorResponse('The experiment is invalid (`validation_failed` or `experiment_invalid`).');
const tags = ['Experiments'];

export const experimentsRouteSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/admin/v1/experiments',
    summary: 'Every experiment',
    tags,
    security: 'admin',
    responses: {
      200: {
        description: 'The experiments.',
        schema: z.strictObject({ object: z.literal('list'), data: z.array(experimentViewSchema) }),
      },
    },
  },
  {
    method: 'post',
    path: '/admin/v1/experiments',
    summary: 'Define an experiment (a draft until started)',
    tags,
    security: 'admin',
    body: experimentSchema,
    responses: {
      201: { description: 'The draft.', schema: experimentViewSchema },
      409: errorResponse('An experiment with this key exists.'),
      422: invalid,
    },
  },
  {
    method: 'get',
    path: '/admin/v1/experiments/{key}',
    summary: 'One experiment',
    tags,
    security: 'admin',
    params: experimentKeyParamsSchema,
    responses: { 200: { description: 'The experiment.', schema: experimentViewSchema }, 404: notFound },
  },
  {
    method: 'put',
    path: '/admin/v1/experiments/{key}',
    summary: 'Replace a draft experiment',
    tags,
    security: 'admin',
    params: experimentKeyParamsSchema,
    body: experimentSchema,
    responses: {
      200: { description: 'The draft as replaced.', schema: experimentViewSchema },
      404: notFound,
      409: errorResponse('The experiment has started (`experiment_started`).'),
      422: invalid,
    },
  },
  {
    method: 'delete',
    path: '/admin/v1/experiments/{key}',
    summary: 'Delete a draft experiment',
    tags,
    security: 'admin',
    params: experimentKeyParamsSchema,
    responses: {
      200: {
        description: 'Deleted.',
        schema: z.strictObject({ object: z.literal('experiment'), key: z.string(), deleted: z.literal(true) }),
      },
      404: notFound,
      409: errorResponse('The experiment has started; stop it instead (`experiment_started`).'),
    },
  },
  {
    method: 'post',
    path: '/admin/v1/experiments/{key}/start',
    summary: 'Start an experiment (its variants are frozen from now on)',
    tags,
    security: 'admin',
    params: experimentKeyParamsSchema,
    responses: {
      200: { description: 'Running.', schema: experimentViewSchema },
      404: notFound,
      409: errorResponse('Already started, or another experiment runs on the same rule.'),
    },
  },
  {
    method: 'post',
    path: '/admin/v1/experiments/{key}/stop',
    summary: 'Stop a running experiment (its exposures are kept)',
    tags,
    security: 'admin',
    params: experimentKeyParamsSchema,
    responses: {
      200: { description: 'Stopped.', schema: experimentViewSchema },
      404: notFound,
      409: errorResponse('The experiment is not running (`experiment_not_running`).'),
    },
  },
  {
    method: 'post',
    path: '/admin/v1/experiments/{key}/winner',
    summary: "Declare a stopped experiment's winning variant, with the verdicts shown at that moment",
    tags,
    security: 'admin',
    params: experimentKeyParamsSchema,
    body: declareWinnerSchema,
    responses: {
      201: {
        description: 'The decision.',
        schema: z.strictObject({
          object: z.literal('experiment_winner'),
          key: z.string(),
          variant: z.string(),
          declared_by: z.string(),
          declared_at: timestamp,
          verdicts: z.array(z.strictObject({ control: z.string(), treatment: z.string(), verdict: verdictSchema })),
        }),
      },
      404: notFound,
      409: errorResponse('Not stopped yet (`experiment_not_stopped`) or decided already (`winner_declared`).'),
      422: errorResponse('No such variant (`unknown_variant`) or a malformed body.'),
    },
  },
  {
    method: 'get',
    path: '/admin/v1/experiments/{key}/results',
    summary: 'Results per arm, comparisons with verdicts, sample-ratio check and breakdowns',
    tags,
    security: 'admin',
    params: experimentKeyParamsSchema,
    responses: { 200: { description: 'The results.', schema: resultsSchema }, 404: notFound },
  },
];
