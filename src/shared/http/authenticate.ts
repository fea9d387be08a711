import crypto from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { z } from 'zod';
import { forbidden, serviceUnavailable, unauthenticated } from '../errors';
import { ROOT_OPERATOR, type Operator, type Principal, type Role, type UserPrincipal } from './principal';

export interface AuthSettings {
  jwt: {
    algorithm: 'HS256' | 'RS256';
    /** The static key; empty: none (tokens only from the JWKS). */
    key: string;
    audience: string;
    issuer: string;
    clockToleranceSeconds: number;
    /** The identity provider's key set: tokens with a `kid` are verified with its RS256 / ES256 keys. */
    jwks?: { url: string; cacheSeconds: number; cooldownSeconds: number };
  };
  apiKeys: { server: string; admin: string };
  /** Per-person operator keys (`tlop_…`), found by the SHA-256 digest of the key; absent: only the root key. */
  operatorKeys?: (digest: Buffer) => Promise<Operator | null>;
}

/** Operator keys start with this, so other tokens never cost a database lookup. */
export const OPERATOR_KEY_PREFIX = 'tlop_';

/** The algorithms a JWKS key may sign with: asymmetric only, pinned (never `none`, never HS256 with a public key). */
export const JWKS_ALGORITHMS = ['RS256', 'ES256'];

/** Longer tokens are refused before any parsing or crypto work. */
export const MAX_TOKEN_BYTES = 8192;

const claimsSchema = z.object({
  sub: z.string().min(1).max(200),
  account_id: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
  role: z.enum(['owner', 'admin', 'member']),
  exp: z.number().int(),
});

const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest();

const keyDigests = new WeakMap<AuthSettings['apiKeys'], { admin: Buffer; server: Buffer }>();

/** The API key a token is, if any. NOTE: digests compared, so timingSafeEqual gets equal lengths and leaks nothing about a key's length. */
function apiKeyKind(token: string, keys: AuthSettings['apiKeys']): 'admin' | 'server' | null {
  let digests = keyDigests.get(keys);
  if (!digests) keyDigests.set(keys, (digests = { admin: sha256(keys.admin), server: sha256(keys.server) }));
  const given = sha256(token);
  const admin = crypto.timingSafeEqual(given, digests.admin);
  const server = crypto.timingSafeEqual(given, digests.server);
  return admin ? 'admin' : server ? 'server' : null;
}

const BEARER_TOKEN = /^Bearer ([^\s]+)$/i;

function bearerToken(req: Request): string {
  const header = req.get('authorization');
  if (!header) throw unauthenticated('Missing Authorization header: send "Bearer <token>".', 'missing_credentials');
  const match = BEARER_TOKEN.exec(header);
  if (!match?.[1])
    throw unauthenticated('Malformed Authorization header: send "Bearer <token>".', 'malformed_credentials');
  if (Buffer.byteLength(match[1]) > MAX_TOKEN_BYTES)
    throw unauthenticated('The token is too large.', 'token_too_large');
  return match[1];
}

const verificationKeys = new Map<string, crypto.KeyObject>();

/** NOTE: a string key makes jsonwebtoken try createPublicKey and fail on every call (~0.5 ms); a KeyObject does not. */
function verificationKey(settings: AuthSettings['jwt']): crypto.KeyObject {
  let key = verificationKeys.get(settings.key);
  if (!key) {
    key =
      settings.algorithm === 'HS256'
        ? crypto.createSecretKey(Buffer.from(settings.key))
        : crypto.createPublicKey(settings.key);
    verificationKeys.set(settings.key, key);
  }
  return key;
}

/** End-user tokens kept after a full verification, until they expire: a page's repeated calls verify once. */
const KEPT_TOKENS_MAX = 10_000;
const keptTokens = new Map<string, { principal: UserPrincipal; settings: AuthSettings; usableUntil: number }>();

function keptPrincipal(token: string, settings: AuthSettings): UserPrincipal | null {
  const kept = keptTokens.get(token);
  if (!kept) return null;
  if (kept.settings === settings && Date.now() / 1000 < kept.usableUntil) return kept.principal;
  keptTokens.delete(token);
  return null;
}

/**
 * The end user a kept token proves, with no verification work; null when the header holds none
 * (any other credential, or a token not kept: the full path verifies it). NOTE: a kept token passed
 * every check of `resolvePrincipal` when it was kept, its size included.
 */
export function keptUserPrincipal(authorization: string | undefined, settings: AuthSettings): UserPrincipal | null {
  const token = authorization === undefined ? undefined : BEARER_TOKEN.exec(authorization)?.[1];
  if (token === undefined || token.length > MAX_TOKEN_BYTES) return null;
  return keptPrincipal(token, settings);
}

function keepPrincipal(token: string, settings: AuthSettings, principal: UserPrincipal, exp: number): void {
  if (keptTokens.size >= KEPT_TOKENS_MAX) keptTokens.delete(keptTokens.keys().next().value as string);
  // NOTE: jsonwebtoken refuses a token from exp + clockTolerance on; nbf and the signature cannot change.
  keptTokens.set(token, { principal, settings, usableUntil: exp + settings.jwt.clockToleranceSeconds });
}

function verifyInFull(token: string, settings: AuthSettings['jwt']): { principal: UserPrincipal; exp: number } {
  let payload: string | JwtPayload;
  if (!settings.key) throw unauthenticated('The token is invalid.', 'invalid_token');
  try {
    payload = jwt.verify(token, verificationKey(settings), {
      algorithms: [settings.algorithm],
      audience: settings.audience,
      issuer: settings.issuer,
      clockTolerance: settings.clockToleranceSeconds,
    });
  } catch (error) {
    const reason = error instanceof jwt.TokenExpiredError ? 'The token has expired.' : 'The token is invalid.';
    throw unauthenticated(reason, 'invalid_token');
  }
  return principalOf(payload);
}

function principalOf(payload: string | JwtPayload): { principal: UserPrincipal; exp: number } {
  const claims = claimsSchema.safeParse(payload);
  if (typeof payload === 'string' || !claims.success) {
    throw unauthenticated('The token lacks a required claim (sub, account_id, role, exp).', 'invalid_token');
  }
  const { sub, account_id: accountId, role, exp } = claims.data;
  // NOTE: frozen: one verified principal serves every request that presents the token.
  return { principal: Object.freeze({ kind: 'user', userId: sub, accountId, role: role as Role }), exp };
}

type KeySet = ReturnType<typeof createRemoteJWKSet>;
const keySets = new Map<string, KeySet>();

/**
 * jose's remote key set, one per URL and settings: fetched on first use, kept `cacheSeconds`, fetched
 * again at once for a `kid` it does not hold (key rotation), but never twice within `cooldownSeconds`.
 */
function keySetOf(jwks: NonNullable<AuthSettings['jwt']['jwks']>): KeySet {
  const id = `${jwks.url} ${jwks.cacheSeconds} ${jwks.cooldownSeconds}`;
  let keySet = keySets.get(id);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(jwks.url), {
      cacheMaxAge: jwks.cacheSeconds * 1000,
      cooldownDuration: jwks.cooldownSeconds * 1000,
      timeoutDuration: 5000,
    });
    keySets.set(id, keySet);
  }
  return keySet;
}

/** The token's header, if it has one that parses: which key (kid) and algorithm it claims. */
function headerOf(token: string): { kid?: unknown; alg?: unknown } {
  try {
    const header: unknown = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null ? header : {};
  } catch {
    return {};
  }
}

/** A token with a `kid` (or any, when there is no static key) goes to the JWKS; the rest to the static key. */
function fromKeySet(token: string, settings: AuthSettings['jwt']): boolean {
  return settings.jwks !== undefined && (!settings.key || typeof headerOf(token).kid === 'string');
}

async function verifyWithKeySet(token: string, settings: AuthSettings['jwt']): Promise<UserPrincipal> {
  const jwks = settings.jwks as NonNullable<AuthSettings['jwt']['jwks']>;
  let payload: JwtPayload;
  try {
    ({ payload } = await jwtVerify(token, keySetOf(jwks), {
      algorithms: JWKS_ALGORITHMS,
      audience: settings.audience,
      issuer: settings.issuer,
      clockTolerance: settings.clockToleranceSeconds,
      requiredClaims: ['exp'],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWKSTimeout || !(error instanceof joseErrors.JOSEError))
      throw serviceUnavailable('jwks_unavailable', "The identity provider's keys could not be fetched; try again.");
    const reason = error instanceof joseErrors.JWTExpired ? 'The token has expired.' : 'The token is invalid.';
    throw unauthenticated(reason, 'invalid_token');
  }
  return principalOf(payload).principal;
}

/** Resolves the caller from the Authorization header; throws 401 when it proves nothing. */
export async function resolvePrincipal(req: Request, settings: AuthSettings): Promise<Principal> {
  const token = bearerToken(req);
  // NOTE: a kept token was told apart from the API keys of these very settings when it was verified.
  const kept = keptPrincipal(token, settings);
  if (kept) return kept;
  const apiKey = apiKeyKind(token, settings.apiKeys);
  if (apiKey === 'admin') return { kind: 'admin', operator: ROOT_OPERATOR };
  if (apiKey) return { kind: apiKey };
  if (token.startsWith(OPERATOR_KEY_PREFIX) && settings.operatorKeys) {
    const operator = await settings.operatorKeys(sha256(token));
    if (!operator) throw unauthenticated('The operator key is invalid or revoked.', 'invalid_token');
    return { kind: 'admin', operator };
  }
  if (token.split('.').length !== 3) throw unauthenticated('The token is invalid.', 'invalid_token');
  // NOTE: JWKS tokens are not kept: once a key leaves the set, its tokens must fail at once.
  if (fromKeySet(token, settings.jwt)) return verifyWithKeySet(token, settings.jwt);
  const { principal, exp } = verifyInFull(token, settings.jwt);
  keepPrincipal(token, settings, principal, exp);
  return principal;
}

type Kind = Principal['kind'];

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const WRONG_KIND: Record<Kind, string> = {
  user: 'This endpoint is for end users (a JWT issued by your SaaS).',
  server: 'This endpoint needs the server API key.',
  admin: 'This endpoint needs an operator credential.',
};

/** Middleware: the caller must be one of `kinds`; a valid credential of another kind is a 403. */
export function authenticate(settings: AuthSettings, ...kinds: Kind[]): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const principal = await resolvePrincipal(req, settings);
    if (!kinds.includes(principal.kind)) throw forbidden(WRONG_KIND[kinds[0] ?? 'admin'], 'wrong_credential');
    req.context.principal = principal;
    // NOTE: the one place viewers are kept read-only: every operator route passes here, new ones too
    // (the principal is set first, so the audit log names the viewer who was refused).
    if (principal.kind === 'admin' && principal.operator.role === 'viewer' && !READ_METHODS.has(req.method))
      throw forbidden('This operator key is a viewer: it may read, not act.', 'read_only_operator');
    next();
  };
}

export function userPrincipal(req: Request): UserPrincipal {
  const principal = req.context.principal;
  if (principal?.kind !== 'user') throw unauthenticated();
  return principal;
}

/** The operator behind the request (route handlers after `authenticate(…, 'admin')`). */
export function operatorOf(req: Request): Operator {
  const principal = req.context.principal;
  if (principal?.kind !== 'admin') throw unauthenticated();
  return principal.operator;
}

/** Middleware after `authenticate`: only an operator of `role` (owner) may go on. */
export function requireOperatorRole(role: 'owner'): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (operatorOf(req).role !== role)
      throw forbidden(`Only an operator with the ${role} role may do this.`, 'owner_only');
    next();
  };
}
