import type { Metadata } from './resource-types';

/**
 * Stripe's metadata update rules: keys are merged into what is there, a key posted
 * with an empty value is removed, and `metadata=''` clears everything.
 */
export function mergeMetadata(existing: Metadata | null | undefined, update: Metadata | null | undefined): Metadata {
  if (update === undefined) return { ...(existing ?? {}) };
  if (update === null) return {};
  const merged: Metadata = { ...(existing ?? {}) };
  for (const [key, value] of Object.entries(update)) {
    if (value === '') delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
