import type { RecordedExchange } from './recording-proxy';
import { ShapeChecker, type ShapeIssue } from './shape-checker';
import type { StripeSchema } from './stripe-operations';

export interface OperationFigures {
  operation: string;
  requests: number;
  requestViolations: number;
  responses: number;
  conforming: number;
}

export interface ConformanceFigures {
  requests: number;
  requestViolations: number;
  responses: number;
  conforming: number;
  conformingPercent: number;
  /** Distinct field paths, e.g. `invoice.issuer`, with whether Stripe declares them nullable. */
  missingRequired: Array<{ path: string; nullable: boolean; count: number }>;
  wrongTypes: Array<{ path: string; kind: string; detail: string; count: number }>;
  requestIssues: Array<{ operation: string; path: string; kind: string; detail: string }>;
  /** Requests no SDK operation matches. */
  unknownOperations: string[];
  operations: OperationFigures[];
}

/** Checks each recorded request against its operation's parameter type and each 2xx response against its response type. */
export function measureConformance(
  schema: StripeSchema,
  exchanges: RecordedExchange[],
  webhookEvents: unknown[] = [],
): ConformanceFigures {
  const shapes = new ShapeChecker(schema.checker);
  const byOperation = new Map<string, OperationFigures>();
  const missing = new Map<string, { path: string; nullable: boolean; count: number }>();
  const wrong = new Map<string, { path: string; kind: string; detail: string; count: number }>();
  const requestIssues: ConformanceFigures['requestIssues'] = [];
  const unknownOperations = new Set<string>();
  const tally = (issue: ShapeIssue) => {
    if (issue.kind === 'missing_required') {
      const entry = missing.get(issue.path) ?? { path: issue.path, nullable: issue.nullable ?? false, count: 0 };
      entry.count += 1;
      missing.set(issue.path, entry);
    } else {
      const entry = wrong.get(issue.path) ?? { path: issue.path, kind: issue.kind, detail: issue.detail, count: 0 };
      entry.count += 1;
      wrong.set(issue.path, entry);
    }
  };
  for (const exchange of exchanges) {
    const operation = schema.operationFor(exchange.method, exchange.path);
    if (!operation) {
      unknownOperations.add(`${exchange.method} ${exchange.path.replace(/\/[a-z]+_[A-Za-z0-9_]+/g, '/{id}')}`);
      continue;
    }
    const figures = byOperation.get(operation.name) ?? {
      operation: operation.name,
      requests: 0,
      requestViolations: 0,
      responses: 0,
      conforming: 0,
    };
    byOperation.set(operation.name, figures);
    figures.requests += 1;
    if (operation.params) {
      const issues = shapes.checkRequest(exchange.params, operation.params, 'params');
      if (issues.length > 0) figures.requestViolations += 1;
      for (const issue of issues) requestIssues.push({ operation: operation.name, ...issue });
    }
    if (exchange.status < 200 || exchange.status >= 300 || !operation.response) continue;
    const issues = responseIssues(shapes, operation, exchange.body);
    figures.responses += 1;
    if (issues.length === 0) figures.conforming += 1;
    for (const issue of issues) tally(issue);
  }
  const eventType = schema.operationFor('GET', '/v1/events/evt_1')?.response;
  const events: OperationFigures = {
    operation: 'webhook events',
    requests: 0,
    requestViolations: 0,
    responses: 0,
    conforming: 0,
  };
  // NOTE: Stripe.Event is a union discriminated by `type`; each member types its data.object.
  for (const event of webhookEvents) {
    const issues = eventType ? shapes.checkResponse(event, eventType, 'event') : [];
    events.responses += 1;
    if (issues.length === 0) events.conforming += 1;
    for (const issue of issues) tally(issue);
  }
  if (events.responses > 0) byOperation.set(events.operation, events);
  const operations = [...byOperation.values()].sort((a, b) => a.operation.localeCompare(b.operation));
  const responses = operations.reduce((sum, entry) => sum + entry.responses, 0);
  const conforming = operations.reduce((sum, entry) => sum + entry.conforming, 0);
  return {
    requests: operations.reduce((sum, entry) => sum + entry.requests, 0),
    requestViolations: operations.reduce((sum, entry) => sum + entry.requestViolations, 0),
    responses,
    conforming,
    conformingPercent: responses === 0 ? 0 : Math.floor((1000 * conforming) / responses) / 10,
    missingRequired: [...missing.values()].sort((a, b) => a.path.localeCompare(b.path)),
    wrongTypes: [...wrong.values()].sort((a, b) => a.path.localeCompare(b.path)),
    requestIssues,
    unknownOperations: [...unknownOperations].sort(),
    operations,
  };
}

function responseIssues(
  shapes: ShapeChecker,
  operation: NonNullable<ReturnType<StripeSchema['operationFor']>>,
  body: unknown,
): ShapeIssue[] {
  const type = operation.response;
  if (!type) return [];
  const rootOf = (value: unknown) =>
    String((value as { object?: unknown } | null)?.object ?? operation.name.split('.').slice(0, -1).join('.'));
  if (operation.envelope) {
    const data = (body as { data?: unknown } | null)?.data;
    if (!Array.isArray(data))
      return [{ kind: 'wrong_type', path: operation.name, detail: `expected a ${operation.envelope} with data[]` }];
    return data.flatMap((entry) => shapes.checkResponse(entry, type, rootOf(entry)));
  }
  return shapes.checkResponse(body, type, rootOf(body));
}

/** The figures as a plain-text report. */
export function formatConformance(figures: ConformanceFigures): string {
  const lines: string[] = [];
  const pad = (text: string | number, width: number) => String(text).padEnd(width);
  lines.push(`Stripe conformance of the emulator (stripe SDK types, API 2026-10-28.endive)`);
  lines.push('');
  lines.push(`${pad('operation', 44)}${pad('requests', 10)}${pad('req.viol', 10)}${pad('responses', 11)}conforming`);
  for (const entry of figures.operations)
    lines.push(
      `${pad(entry.operation, 44)}${pad(entry.requests, 10)}${pad(entry.requestViolations, 10)}${pad(entry.responses, 11)}${entry.conforming}`,
    );
  lines.push('');
  lines.push(`requests checked: ${figures.requests}, with violations: ${figures.requestViolations}`);
  for (const issue of figures.requestIssues.slice(0, 30))
    lines.push(`  ${issue.operation} ${issue.path}: ${issue.kind} (${issue.detail})`);
  lines.push(
    `responses checked: ${figures.responses}, fully conforming: ${figures.conforming} (${figures.conformingPercent}%)`,
  );
  const nonNullable = figures.missingRequired.filter((entry) => !entry.nullable);
  lines.push(
    `missing required fields: ${figures.missingRequired.length} (${nonNullable.length} non-nullable, ${figures.missingRequired.length - nonNullable.length} nullable)`,
  );
  for (const entry of figures.missingRequired)
    lines.push(`  ${entry.path}${entry.nullable ? ' (nullable)' : ''} ×${entry.count}`);
  lines.push(`wrong types or enum values: ${figures.wrongTypes.length}`);
  for (const entry of figures.wrongTypes) lines.push(`  ${entry.path}: ${entry.kind} ${entry.detail} ×${entry.count}`);
  if (figures.unknownOperations.length > 0)
    lines.push(`requests no SDK operation declares: ${figures.unknownOperations.join(', ')}`);
  return lines.join('\n');
}
