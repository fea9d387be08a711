import request from 'supertest';
import { startBillingHarness, type BillingHarness } from '../billing/support/billing-harness';
import { routeSpecsFor } from '../../src/openapi/openapi.routes';
import { appRoutes, openApiPath } from '../support/app-routes';
import { testConfig } from '../support/test-config';
import { bearer, serverAuth, userToken } from '../support/tokens';
import { JsonSchemaChecker } from './json-schema-check';
import { loadEvent, scenarios, setUp, type ScenarioContext } from './scenarios';

/**
 * /openapi.json against the real app: every registered route is documented (and nothing else),
 * every documented route is exercised (table in scenarios.ts), and every answer — success and
 * error — has a documented status whose schema it satisfies. The document is checked structurally too.
 */
type Json = Record<string, unknown>;
type Operation = { operationId: string; security: Json[]; parameters?: Json[]; responses: Record<string, Json> };

let h: BillingHarness;
let doc: Json & { paths: Record<string, Record<string, Operation>> };
let checker: JsonSchemaChecker;

beforeAll(async () => {
  h = await startBillingHarness();
  const res = await request(h.app).get('/openapi.json').expect(200);
  doc = res.body;
  checker = new JsonSchemaChecker(doc);
}, 60_000);
afterAll(async () => h?.close());

const documentedRoutes = () =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );

function operationOf(route: string): Operation | undefined {
  const [method = '', path = ''] = route.split(' ');
  return doc.paths[path]?.[method.toLowerCase()];
}

/** Problems with one answer: its status must be documented and its body match that status's schema. */
function contractProblems(route: string, res: request.Response): string[] {
  const operation = operationOf(route);
  if (!operation) return [`${route} is not in the document`];
  const documented = operation.responses[String(res.status)];
  if (!documented)
    return [`${route} answered ${res.status}, which the document does not list: ${res.text.slice(0, 300)}`];
  const problems: string[] = [];
  if (!res.headers['request-id']) problems.push(`${route} ${res.status}: no Request-Id header`);
  const content = documented.content as Record<string, { schema: Json }> | undefined;
  if (!content) {
    if (res.text) problems.push(`${route} ${res.status}: a body where the document says none`);
    return problems;
  }
  const mediaType = String(res.headers['content-type'] ?? '').split(';')[0] ?? '';
  const entry = content[mediaType];
  if (!entry) return [...problems, `${route} ${res.status}: content type ${mediaType} is not documented`];
  const body = mediaType === 'application/json' ? res.body : res.text;
  return [...problems, ...checker.check(entry.schema, body).map((p) => `${route} ${res.status}: ${p}`)];
}

describe('the OpenAPI document', () => {
  it('lists exactly the routes the app registers', () => {
    const registered = appRoutes(h.app).map((r) => `${r.method.toUpperCase()} ${openApiPath(r.path)}`);
    const documented = documentedRoutes();
    expect(registered.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((r) => !registered.includes(r))).toEqual([]);
  });

  it('lists local-only routes (the demo helpers) only where they are mounted', () => {
    const production = routeSpecsFor({ ...testConfig(), env: 'production' }).map((s) => s.path);
    expect(production).not.toContain('/demo/api/session');
    expect(production).not.toContain('/demo');
    expect(routeSpecsFor(testConfig()).map((s) => s.path)).toContain('/demo/api/session');
  });

  it('is structurally valid OpenAPI 3.1', () => {
    expect(doc.openapi).toBe('3.1.0');
    const problems: string[] = [];
    const ids = new Map<string, string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(item)) {
        const route = `${method.toUpperCase()} ${path}`;
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        if (JSON.stringify([...declared].sort()) !== JSON.stringify([...templated].sort()))
          problems.push(
            `${route}: path parameters ${JSON.stringify(declared)} ≠ template ${JSON.stringify(templated)}`,
          );
        const seen = ids.get(operation.operationId);
        if (seen) problems.push(`${route}: operationId ${operation.operationId} also used by ${seen}`);
        ids.set(operation.operationId, route);
        if (Object.keys(operation.responses).length === 0) problems.push(`${route}: no responses`);
      }
    }
    const refs: string[] = [];
    const collect = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object')
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref' && typeof v === 'string') refs.push(v);
          else collect(v);
        }
    };
    collect(doc);
    for (const ref of new Set(refs)) {
      let node: unknown = doc;
      for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Json | undefined)?.[part];
      if (!ref.startsWith('#/') || node === undefined) problems.push(`unresolved $ref ${ref}`);
    }
    const schemes = Object.keys((doc.components as { securitySchemes: Json }).securitySchemes);
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, operation] of Object.entries(item))
        for (const requirement of operation.security)
          for (const name of Object.keys(requirement))
            if (!schemes.includes(name)) problems.push(`${method} ${path}: unknown security scheme ${name}`);
    expect(problems).toEqual([]);
  });
});

describe('every route answers what the document says', () => {
  let c: ScenarioContext;
  beforeAll(async () => {
    c = await setUp(h);
    await loadEvent(c);
  }, 120_000);

  it('has a scenario, with a success, for every documented route', () => {
    const covered = new Set(scenarios.map((s) => s.route));
    const succeeded = new Set(
      scenarios.filter((s) => [s.status].flat().some((status) => status < 300)).map((s) => s.route),
    );
    const missing = documentedRoutes().flatMap((route) =>
      !covered.has(route)
        ? [`no scenario for ${route}`]
        : !succeeded.has(route)
          ? [`no success scenario for ${route}`]
          : [],
    );
    expect(missing).toEqual([]);
  });

  it('every scenario gets its status and a documented answer', async () => {
    const problems: string[] = [];
    for (const scenario of scenarios) {
      scenario.before?.(c);
      const res = await scenario.send(c);
      const expected = [scenario.status].flat();
      if (!expected.includes(res.status))
        problems.push(
          `${scenario.route} (${scenario.name}): expected ${expected.join('|')}, got ${res.status} ${res.text.slice(0, 300)}`,
        );
      else await scenario.after?.(c, res);
      problems.push(...contractProblems(scenario.route, res).map((p) => `${p} (${scenario.name})`));
    }
    expect(problems).toEqual([]);
  }, 180_000);

  it('every secured route refuses a missing or wrong-kind credential with a documented error', async () => {
    const problems: string[] = [];
    const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'no_such_thing_1');
    for (const route of documentedRoutes()) {
      const operation = operationOf(route);
      const [method = '', path = ''] = route.split(' ');
      const schemes = (operation?.security ?? []).flatMap((s) => Object.keys(s));
      if (schemes.length === 0) continue;
      const call = () => request(h.app)[method.toLowerCase() as 'get'](concrete(path));
      if (schemes.includes('stripeSignature')) {
        problems.push(...contractProblems(route, await call().set('Content-Type', 'application/json').send('{}')));
        continue;
      }
      const missing = await call();
      if (missing.status !== 401) problems.push(`${route} without a credential: ${missing.status}`);
      problems.push(...contractProblems(route, missing));
      // An API key is the wrong kind for end-user routes; an end user's token for every key route.
      const wrong = schemes.includes('endUserJwt') ? serverAuth : bearer(userToken('acct_probe', 'owner'));
      const refused = await call().set('Authorization', wrong);
      if (refused.status !== 403) problems.push(`${route} with a wrong-kind credential: ${refused.status}`);
      problems.push(...contractProblems(route, refused));
    }
    expect(problems).toEqual([]);
  }, 60_000);
});
