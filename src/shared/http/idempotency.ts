import crypto from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { DataSource } from 'typeorm';
import { badRequest, conflict } from '../errors';
import { KEY_LEASE_SECONDS, LEGACY_ABANDONED_AFTER_SECONDS, ownerIsGone, THIS_PROCESS } from './idempotency-lease';
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
 * is still running is 409 `idempotency_in_progress` (with Retry-After). Answers that say
 * "try again" (5xx, 429, 409 `*_in_progress`) are not kept: the key is given back, and the
 * retry runs the request again as a re-run (`req.context.idempotency.rerun`). A key whose
 * process died mid-way (kill -9) is taken over by the retry once its lease lapses, or at once
 * when that process was on this host and is gone. Must run after authentication.
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
    // NOTE: before the fingerprint: JSON.stringify of a body 8,000 levels deep overflows the stack.
    assertJsonDepth(req.body, 'body');
    const id = { scope: scopeOf(req), key, hash: fingerprint(req) };
    const inserted: unknown[] = await dataSource.query(
      `INSERT INTO idempotency_keys (scope, key, method, path, request_hash, state, owner, lease_until)
       VALUES ($1, $2, $3, $4, $5, 'in_progress', $6, now() + make_interval(secs => $7))
       ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [id.scope, id.key, req.method, `${req.baseUrl}${req.path}`, id.hash, THIS_PROCESS, KEY_LEASE_SECONDS],
    );
    let rerun = false;
    if (inserted.length === 0) {
      if ((await replayOrTakeOver(dataSource, id, res)) === 'replayed') return;
      rerun = true;
    }
    req.context.idempotency = { key, rerun };

    // NOTE: the lease is renewed while the request runs, so only a dead process's key lapses.
    const renewal = setInterval(
      () => {
        dataSource
          .query(
            `UPDATE idempotency_keys SET lease_until = now() + make_interval(secs => $4)
           WHERE scope = $1 AND key = $2 AND owner = $3 AND state = 'in_progress'`,
            [id.scope, id.key, THIS_PROCESS, KEY_LEASE_SECONDS],
          )
          .catch(() => undefined);
      },
      (KEY_LEASE_SECONDS * 1000) / 3,
    );
    renewal.unref();
    res.once('close', () => clearInterval(renewal));

    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      clearInterval(renewal);
      const status = res.statusCode;
      const store = asksForRetry(status, body)
        ? // NOTE: given back, not deleted: the retry is a re-run of this very request (same body).
          dataSource.query(
            `UPDATE idempotency_keys SET owner = NULL, lease_until = now() - interval '1 second'
             WHERE scope = $1 AND key = $2 AND state = 'in_progress'`,
            [id.scope, id.key],
          )
        : dataSource.query(
            `UPDATE idempotency_keys SET state = 'completed', response_status = $3, response_body = $4,
               completed_at = now(), owner = NULL, lease_until = NULL
             WHERE scope = $1 AND key = $2`,
            [id.scope, id.key, status, JSON.stringify(body)],
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

/** Answers that tell the client to try again are never replayed: 5xx, 429 and 409 `*_in_progress`. */
function asksForRetry(status: number, body: unknown): boolean {
  if (status >= 500 || status === 429) return true;
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return status === 409 && typeof code === 'string' && code.endsWith('_in_progress');
}

interface KeyRow {
  request_hash: string;
  state: string;
  response_status: number | null;
  response_body: unknown;
  owner: string | null;
  attempts: number;
  /** Seconds until the lease lapses (≤ 0: lapsed). */
  lease_left: number;
}

/** Deletes records older than the retention (the contract promises at least 24 hours). */
export async function purgeIdempotencyKeys(dataSource: DataSource, olderThanHours = 48): Promise<number> {
  const result: [unknown[], number] = await dataSource.query(
    `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`,
    [olderThanHours],
  );
  return result[1];
}

async function replayOrTakeOver(
  dataSource: DataSource,
  id: { scope: string; key: string; hash: string },
  res: Response,
): Promise<'replayed' | 'taken_over'> {
  const rows: KeyRow[] = await dataSource.query(
    `SELECT request_hash, state, response_status, response_body, owner, attempts,
            extract(epoch FROM COALESCE(lease_until, created_at + make_interval(secs => $3)) - now())::float AS lease_left
     FROM idempotency_keys WHERE scope = $1 AND key = $2`,
    [id.scope, id.key, LEGACY_ABANDONED_AFTER_SECONDS],
  );
  const row = rows[0];
  if (!row)
    throw conflict('idempotency_in_progress', 'A request with this Idempotency-Key just finished failing; retry it.');
  if (row.request_hash !== id.hash) {
    throw conflict('idempotency_conflict', 'This Idempotency-Key was used with a different request.');
  }
  if (row.state === 'completed' && row.response_status !== null) {
    res.setHeader('Idempotent-Replayed', 'true');
    res.status(row.response_status).json(row.response_body);
    return 'replayed';
  }
  if ((row.lease_left <= 0 || ownerIsGone(row.owner)) && (await takeOver(dataSource, id, row.attempts)))
    return 'taken_over';
  res.setHeader('Retry-After', String(Math.max(1, Math.ceil(row.lease_left))));
  throw conflict('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed.');
}

/** Compare-and-set on `attempts`: of two retries taking over the same key, one wins. */
async function takeOver(
  dataSource: DataSource,
  id: { scope: string; key: string; hash: string },
  seenAttempts: number,
): Promise<boolean> {
  // NOTE: TypeORM answers an UPDATE with [rows, affectedCount].
  const [, affected]: [unknown[], number] = await dataSource.query(
    `UPDATE idempotency_keys
     SET owner = $5, lease_until = now() + make_interval(secs => $6), attempts = attempts + 1
     WHERE scope = $1 AND key = $2 AND request_hash = $3 AND state = 'in_progress' AND attempts = $4`,
    [id.scope, id.key, id.hash, seenAttempts, THIS_PROCESS, KEY_LEASE_SECONDS],
  );
  return affected > 0;
}
