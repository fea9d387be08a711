import { z } from 'zod';
import { errorBodySchema, type ResponseSpec, type RouteSecurity, type RouteSpec } from './route-spec';

type Json = Record<string, unknown>;

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

const SECURITY: Record<RouteSecurity, Array<Record<string, string[]>>> = {
  user: [{ endUserJwt: [] }],
  server: [{ serverApiKey: [] }],
  admin: [{ adminApiKey: [] }],
  server_or_admin: [{ serverApiKey: [] }, { adminApiKey: [] }],
  none: [],
  stripe_signature: [{ stripeSignature: [] }],
};

const REQUEST_ID_HEADER = { 'Request-Id': { $ref: '#/components/headers/RequestId' } };

/**
 * JSON Schema 2020-12 (OpenAPI 3.1's dialect) of one zod schema. Schemas given `.meta({ id })` become
 * components (`$defs` lifted, refs rewritten); a request body's variant is named `<id>Input`, since
 * defaults make the accepted input differ from the answered output.
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output', defs: Json): Json {
  const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'throw' }) as Json;
  const { $schema: _dialect, $defs, id: rootId, ...rest } = converted;
  const nameOf = (id: string) => (io === 'input' ? `${id}Input` : id);
  const ref = (id: string) => `#/components/schemas/${nameOf(id)}`;
  const rewrite = (value: unknown) =>
    withoutSafeIntegerBounds(
      JSON.parse(JSON.stringify(value).replace(/"#\/\$defs\/([^"]+)"/g, (_m, id: string) => `"${ref(id)}"`)),
    ) as Json;
  const named = { ...(($defs ?? {}) as Json), ...(typeof rootId === 'string' ? { [rootId]: rest } : {}) };
  for (const [id, def] of Object.entries(named)) {
    const { id: _sameId, ...component } = rewrite(def);
    const existing = defs[nameOf(id)];
    if (existing && JSON.stringify(existing) !== JSON.stringify(component))
      throw new Error(`Two different schemas are named ${nameOf(id)}`);
    defs[nameOf(id)] = component;
  }
  return typeof rootId === 'string' ? { $ref: ref(rootId) } : rewrite(rest);
}

/** `z.number().int()` bounds itself to JS's safe integers; said once here rather than on every field. */
function withoutSafeIntegerBounds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSafeIntegerBounds);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'minimum' && item === Number.MIN_SAFE_INTEGER) continue;
    if (key === 'maximum' && item === Number.MAX_SAFE_INTEGER) continue;
    out[key] = withoutSafeIntegerBounds(item);
  }
  return out;
}

function operationIdOf(spec: RouteSpec): string {
  const words = spec.path
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith('{') ? `by_${segment.slice(1, -1)}` : segment))
    .flatMap((segment) => segment.split(/[-_]/));
  return spec.method + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/** The errors every route of its kind can answer, beside the ones its spec names. */
function commonErrors(spec: RouteSpec): Record<number, string> {
  const errors: Record<number, string[]> = {};
  const add = (status: number, why: string) => (errors[status] ??= []).push(why);
  if (spec.security === 'stripe_signature') add(400, 'The Stripe-Signature header is missing or does not verify.');
  else if (spec.security !== 'none') {
    add(401, 'The credential is missing or invalid.');
    add(403, 'A valid credential of the wrong kind (or role).');
  }
  if (spec.body) {
    add(400, 'The body is not valid JSON (`invalid_json`).');
    add(413, 'The body exceeds the size limit.');
  }
  if ((spec.params || spec.query || spec.body) && spec.security !== 'stripe_signature')
    add(422, 'The input is invalid (`validation_failed`, every problem in `errors`).');
  if (spec.idempotencyKey) {
    add(400, 'The Idempotency-Key header is missing where required, or malformed.');
    add(409, 'The Idempotency-Key was used with another body (`idempotency_conflict`) or is still in flight.');
  }
  if (spec.callsStripe) {
    add(502, 'Stripe refused the request (`stripe_request_failed`).');
    add(
      503,
      'Stripe is busy (`stripe_busy`) or could not be reached (`stripe_unavailable`); nothing was confirmed, retry.',
    );
  }
  add(500, 'Something went wrong on our side (`internal_error`).');
  return Object.fromEntries(Object.entries(errors).map(([status, whys]) => [status, whys.join(' ')]));
}

function responseObject(response: ResponseSpec, defs: Json): Json {
  if (!response.schema) return { description: response.description, headers: REQUEST_ID_HEADER };
  const schema = jsonSchema(response.schema, 'output', defs);
  return {
    description: response.description,
    headers: REQUEST_ID_HEADER,
    content: { [response.contentType ?? 'application/json']: { schema } },
  };
}

function parametersOf(spec: RouteSpec, defs: Json): Json[] {
  const parameters: Json[] = [];
  const fromObject = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
    if (!schema) return;
    const converted = jsonSchema(schema, 'input', defs) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, property] of Object.entries(converted.properties ?? {})) {
      const { description, ...propertySchema } = property;
      parameters.push({
        name,
        in: where,
        required: where === 'path' || (converted.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: propertySchema,
      });
    }
  };
  fromObject(spec.params, 'path');
  fromObject(spec.query, 'query');
  if (spec.idempotencyKey)
    parameters.push({
      $ref:
        spec.idempotencyKey === 'required'
          ? '#/components/parameters/IdempotencyKeyRequired'
          : '#/components/parameters/IdempotencyKey',
    });
  return parameters;
}

function operationOf(spec: RouteSpec, defs: Json): Json {
  const responses: Json = {};
  for (const [status, response] of Object.entries(spec.responses)) responses[status] = responseObject(response, defs);
  for (const [status, description] of Object.entries(commonErrors(spec)))
    responses[status] ??= responseObject({ description, schema: errorBodySchema }, defs);
  const parameters = parametersOf(spec, defs);
  return {
    operationId: spec.operationId ?? operationIdOf(spec),
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: spec.tags,
    security: SECURITY[spec.security],
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: !spec.body.safeParse(undefined).success,
            content: { 'application/json': { schema: jsonSchema(spec.body, 'input', defs) } },
          },
        }
      : {}),
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
  };
}

/** An outbound call the service makes (OpenAPI 3.1 `webhooks`): a POST of `schema` to the receiver. */
export interface OutboundWebhookSpec {
  name: string;
  summary: string;
  description: string;
  schema: z.ZodType;
}

function webhooksOf(webhooks: readonly OutboundWebhookSpec[], defs: Json): Json {
  const out: Json = {};
  for (const hook of webhooks)
    out[hook.name] = {
      post: {
        operationId: `webhook_${hook.name.replaceAll('.', '_')}`,
        summary: hook.summary,
        description: hook.description,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: jsonSchema(hook.schema, 'output', defs) } },
        },
        responses: { '200': { description: 'Any 2xx acknowledges the delivery.' } },
      },
    };
  return out;
}

/** The OpenAPI 3.1 document of `specs`: built from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(
  specs: readonly RouteSpec[],
  info: OpenApiInfo,
  webhooks: readonly OutboundWebhookSpec[] = [],
): Json {
  const defs: Json = {};
  jsonSchema(errorBodySchema, 'output', defs);
  const paths: Record<string, Json> = {};
  for (const spec of specs) {
    const item = (paths[spec.path] ??= {});
    if (item[spec.method]) throw new Error(`Two specs for ${spec.method.toUpperCase()} ${spec.path}`);
    item[spec.method] = operationOf(spec, defs);
  }
  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: '/' }],
    tags: [...new Set(specs.flatMap((spec) => spec.tags))].sort().map((name) => ({ name })),
    paths,
    ...(webhooks.length ? { webhooks: webhooksOf(webhooks, defs) } : {}),
    components: {
      schemas: Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        endUserJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'An end user of the SaaS: claims `sub`, `account_id`, `role` (owner, admin, member), `aud`, `iss`, `exp`.',
        },
        serverApiKey: { type: 'http', scheme: 'bearer', description: "The SaaS backend's API key (`SERVER_API_KEY`)." },
        adminApiKey: { type: 'http', scheme: 'bearer', description: "The operators' API key (`ADMIN_API_KEY`)." },
        stripeSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'Stripe-Signature',
          description: "Stripe's signature over the raw body with the webhook endpoint secret.",
        },
      },
      parameters: {
        IdempotencyKey: idempotencyParameter(false),
        IdempotencyKeyRequired: idempotencyParameter(true),
      },
      headers: {
        RequestId: { description: "The request's id, also in error bodies and the logs.", schema: { type: 'string' } },
      },
    },
  };
}

function idempotencyParameter(required: boolean): Json {
  return {
    name: 'Idempotency-Key',
    in: 'header',
    required,
    description:
      'The same key and body replay the first answer; the same key with another body is a 409. Kept at least 24 hours, scoped to the caller.',
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
  };
}
