import crypto from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { DataSource } from 'typeorm';
import { badRequest, conflict } from '../errors';
import { assertJsonDepth } from './json-limits';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export interface IdempotencyOptions {
  /** Refuse the request when the header is missing (money-moving routes). */
  required?: boolean;
}

/** The caller's scope: keys never collide across accounts or credentials. */
function scopeOf(req: Request): string {
  const principal = req.context.principal;
  if (!principal) return 'anonymous';
  return principal.kind === 'user' ? `account:${principal.accountId}` : principal.kind;
}

function fingerprint(req: Request): string {
  return crypto
    .createHash('sha256')
    .update(`${req.method}\n${req.baseUrl}${req.path}\n${JSON.stringify(req.body ?? null)}`)
    .digest('hex');
}

/**
 * The API's Idempotency-Key contract: the same key and body replay the first response;
 * the same key with another body is 409 `idempotency_conflict`; a key whose first request
 * is still running is 409 `idempotency_in_progress`. Responses of 5xx are not kept, so the
 * client may retry them with the same key. Must run after authentication.
 */
export function idempotent(dataSource: DataSource, options: IdempotencyOptions = {}): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = req.get('idempotency-key');
    if (key === undefined) {
      if (options.required)
        throw badRequest('idempotency_key_required', 'Send an Idempotency-Key header.', 'Idempotency-Key');
      return next();
    }
    if (!KEY_PATTERN.test(key)) {
      throw badRequest(
        'invalid_idempotency_key',
        'Idempotency-Key must be 1-255 visible ASCII characters.',
        'Idempotency-Key',
      );
    }
    const scope = scopeOf(req);
    // NOTE: before the fingerprint: JSON.stringify of a body 8,000 levels deep overflows the stack.
    assertJsonDepth(req.body, 'body');
    const hash = fingerprint(req);
    const inserted: unknown[] = await dataSource.query(
      `INSERT INTO idempotency_keys (scope, key, method, path, request_hash, state)
       VALUES ($1, $2, $3, $4, $5, 'in_progress') ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [scope, key, req.method, `${req.baseUrl}${req.path}`, hash],
    );
    if (inserted.length === 0 && (await replay(dataSource, { scope, key, hash }, res)) === 'replayed') return;

    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      const status = res.statusCode;
      const store =
        status >= 500
          ? dataSource.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2', [scope, key])
          : dataSource.query(
              `UPDATE idempotency_keys SET state = 'completed', response_status = $3, response_body = $4, completed_at = now()
               WHERE scope = $1 AND key = $2`,
              [scope, key, status, JSON.stringify(body)],
            );
      // NOTE: the response is sent only once its record is stored, so a replay can never see less than the client did.
      store.then(
        () => send(body),
        (error: unknown) => {
          req.context.logger.error('could not store idempotent response', { error: String(error) });
          send(body);
        },
      );
      return res;
    };
    next();
  };
}

/** A request that crashed mid-way leaves its key in progress; after this long the same request may take it over. */
const ABANDONED_AFTER_SECONDS = 120;

async function reclaimAbandoned(
  dataSource: DataSource,
  id: { scope: string; key: string; hash: string },
): Promise<boolean> {
  // NOTE: TypeORM answers an UPDATE with [rows, affectedCount].
  const [, affected]: [unknown[], number] = await dataSource.query(
    `UPDATE idempotency_keys SET created_at = now()
     WHERE scope = $1 AND key = $2 AND request_hash = $3 AND state = 'in_progress'
       AND created_at < now() - make_interval(secs => $4) RETURNING key`,
    [id.scope, id.key, id.hash, ABANDONED_AFTER_SECONDS],
  );
  return affected > 0;
}

/** Deletes records older than the retention (the contract promises at least 24 hours). */
export async function purgeIdempotencyKeys(dataSource: DataSource, olderThanHours = 48): Promise<number> {
  const result: [unknown[], number] = await dataSource.query(
    `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`,
    [olderThanHours],
  );
  return result[1];
}

async function replay(
  dataSource: DataSource,
  id: { scope: string; key: string; hash: string },
  res: Response,
): Promise<'replayed' | 'reclaimed'> {
  const rows: Array<{ request_hash: string; state: string; response_status: number | null; response_body: unknown }> =
    await dataSource.query(
      'SELECT request_hash, state, response_status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2',
      [id.scope, id.key],
    );
  const row = rows[0];
  if (!row)
    throw conflict('idempotency_in_progress', 'A request with this Idempotency-Key just finished failing; retry it.');
  if (row.request_hash !== id.hash) {
    throw conflict('idempotency_conflict', 'This Idempotency-Key was used with a different request.');
  }
  if (row.state !== 'completed' || row.response_status === null) {
    if (await reclaimAbandoned(dataSource, id)) return 'reclaimed';
    throw conflict('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed.');
  }
  res.setHeader('Idempotent-Replayed', 'true');
  res.status(row.response_status).json(row.response_body);
  return 'replayed';
}
