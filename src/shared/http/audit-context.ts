import type { Response } from 'express';

/** What a route tells the audit log (src/operators/audit-actions.ts) beyond the request and its answer. */
export interface AuditLocals {
  auditBefore?: unknown;
  auditAfter?: unknown;
  auditBody?: unknown;
}

/** For a use case that knows the state before its action: the audit entry shows it beside the answer. */
export function auditBefore(res: Response, before: unknown): void {
  (res.locals as AuditLocals).auditBefore = before;
}

/** For a use case whose answer is not the state after (a list, a receipt): the state after it. */
export function auditAfter(res: Response, after: unknown): void {
  (res.locals as AuditLocals).auditAfter = after;
}
