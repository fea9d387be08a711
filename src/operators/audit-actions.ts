import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuditLocals } from '../shared/http/audit-context';
import type { Logger } from '../shared/logger';
import type { AuditLogRepository, AuditOutcome } from './audit-log.repository';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Response fields never written to the log: a new operator key is shown once, to its creator only. */
const SECRET_FIELDS = new Set(['key', 'secret']);

function redacted(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '[redacted]' : v]));
}

/** The path's values for the route's `:params` (`/admin/v1/offers/:id` + `/admin/v1/offers/r1` → `r1`). */
function targetOf(pattern: string, path: string): string | null {
  const names = pattern.split('/');
  const values = path.split('/');
  const found = names.flatMap((name, i) => (name.startsWith(':') && values[i] ? [decodeSafely(values[i])] : []));
  return found.length ? found.join('/') : null;
}

function decodeSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const outcomeOf = (status: number): AuditOutcome => (status < 400 ? 'succeeded' : status < 500 ? 'refused' : 'failed');

/**
 * Records every non-GET request an operator credential made (refusals included: a viewer's 403 is
 * in the log with the viewer's name) before its answer leaves: the answer waits for the row, so when
 * an operator sees "done", the log already says who did it. Mounted once, before every router, so
 * no route can forget it.
 */
export function auditOperatorActions(deps: {
  auditLog: AuditLogRepository;
  now: () => Date;
  logger: Logger;
}): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (READ_METHODS.has(req.method)) return next();
    const locals = res.locals as AuditLocals;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      locals.auditBody = body;
      return json(body);
    };
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    let written = false;
    res.end = ((...args: unknown[]) => {
      const principal = req.context.principal;
      if (written || principal?.kind !== 'admin') return end(...args);
      written = true;
      const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
      const status = res.statusCode;
      deps.auditLog
        .record({
          actorId: principal.operator.id,
          actorName: principal.operator.name,
          actorRole: principal.operator.role,
          method: req.method,
          route,
          path: req.path,
          action: `${req.method} ${route}`,
          target: targetOf(route, req.path),
          request: req.body ?? null,
          before: locals.auditBefore ?? null,
          after: redacted(locals.auditAfter ?? (status < 400 ? locals.auditBody : null)) ?? null,
          status,
          outcome: outcomeOf(status),
          requestId: req.context.requestId,
          occurredAt: deps.now(),
        })
        .catch((error: unknown) => deps.logger.error('audit log entry not written', { error, route }))
        .finally(() => end(...args));
      return res;
    }) as Response['end'];
    next();
  };
}
