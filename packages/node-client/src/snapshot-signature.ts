import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EntitlementSnapshot } from './entitlement.types';

/** Prefixed to the signed text: the signature cannot be replayed as another kind of message. */
export const SNAPSHOT_SIGNATURE_CONTEXT = 'tierlift.entitlement_snapshot.v1\n';

/**
 * JSON with object keys sorted at every depth and no white space, as the service signs it
 * (src/usage/entitlement-snapshot.ts has the same function).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The snapshot's expected signature: base64url HMAC-SHA256 keyed with the server API key. */
export function snapshotSignature(snapshot: EntitlementSnapshot, serverKey: string): string {
  return createHmac('sha256', serverKey)
    .update(SNAPSHOT_SIGNATURE_CONTEXT + canonicalJson(snapshot))
    .digest('base64url');
}

/** True when `signature` is the service's for this snapshot; compared in constant time. */
export function verifySnapshot(snapshot: EntitlementSnapshot, signature: string, serverKey: string): boolean {
  const expected = Buffer.from(snapshotSignature(snapshot, serverKey));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
