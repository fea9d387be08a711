import { createHash } from 'node:crypto';

export interface AssignableVariant {
  key: string;
  /** Relative weight; weights need not sum to anything in particular. */
  weight: number;
}

export interface AssignableExperiment {
  key: string;
  variants: readonly AssignableVariant[];
  /** Share of accounts (0 ≤ h < 1) held out of the experiment: they see no offer from it. */
  holdout: number;
}

export type Assignment = { kind: 'variant'; variant: string } | { kind: 'holdout' };

const TWO_POW_52 = 2 ** 52;

/**
 * A uniform number in [0, 1) from SHA-256 of the experiment key and account id. Deterministic:
 * the same on every call, instance and restart (nothing is stored or seeded); independent between
 * experiments because each key gives an unrelated hash.
 */
export function hashToUnit(experimentKey: string, accountId: string): number {
  const digest = createHash('sha256').update(`${experimentKey}\u0000${accountId}`).digest();
  // NOTE: 52 bits (6.5 bytes) fit a double exactly, so every value is equally likely.
  const high = digest.readUInt32BE(0);
  const low = digest.readUInt32BE(4) >>> 12;
  return (high * 2 ** 20 + low) / TWO_POW_52;
}

/** Which arm an account is in: holdout first (the lowest slice), then the variants by weight. */
export function assignVariant(experiment: AssignableExperiment, accountId: string): Assignment {
  const u = hashToUnit(experiment.key, accountId);
  if (u < experiment.holdout) return { kind: 'holdout' };
  const inside = (u - experiment.holdout) / (1 - experiment.holdout);
  const total = experiment.variants.reduce((sum, v) => sum + v.weight, 0);
  let cumulative = 0;
  for (const variant of experiment.variants) {
    cumulative += variant.weight / total;
    if (inside < cumulative) return { kind: 'variant', variant: variant.key };
  }
  const last = experiment.variants[experiment.variants.length - 1];
  if (!last) throw new RangeError(`experiment ${experiment.key} has no variants`);
  return { kind: 'variant', variant: last.key };
}
