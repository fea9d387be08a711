import { createHmac } from 'node:crypto';
import { entitlementView } from './entitlement.view';
import { validUntil } from './entitlement-cache';
import type { AccountEntitlements } from './read-entitlements';

/** What GET /v1/entitlements/snapshot signs: an account's entitlements at one instant. */
export interface EntitlementSnapshot {
  object: 'entitlement_snapshot';
  account_id: string;
  plan: string;
  issued_at: string;
  /** When a period it counts in ends or a reverse trial stops granting: the snapshot is void from then. */
  valid_until: string;
  entitlements: Array<Record<string, unknown>>;
}

/** Prefixed to the signed text so that this signature can never be replayed as another kind of message. */
export const SNAPSHOT_SIGNATURE_CONTEXT = 'tierlift.entitlement_snapshot.v1\n';

/**
 * JSON with object keys sorted at every depth and no white space: the same value always gives the
 * same text, whatever order the keys were built or parsed in. The Node client has the same function.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * HMAC-SHA256 of the canonical JSON, keyed with the server API key, base64url. NOTE: the SaaS
 * backend already holds that key (it calls POST /v1/usage with it), so it can verify a snapshot
 * it kept or passed along without any other secret; whoever could forge one could call the API.
 */
export function signSnapshot(snapshot: EntitlementSnapshot, serverKey: string): string {
  return createHmac('sha256', serverKey)
    .update(SNAPSHOT_SIGNATURE_CONTEXT + canonicalJson(snapshot))
    .digest('base64url');
}

export function snapshotOf(read: AccountEntitlements): EntitlementSnapshot {
  return {
    object: 'entitlement_snapshot',
    account_id: read.accountId,
    plan: read.planCode,
    issued_at: read.asOf.toISOString(),
    valid_until: new Date(validUntil(read)).toISOString(),
    entitlements: read.entitlements.map(entitlementView),
  };
}
