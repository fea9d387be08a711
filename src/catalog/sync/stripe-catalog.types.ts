import type { Interval } from '../catalog.types';

/** What Stripe should hold for the catalog (built by desired-stripe-catalog.ts). */
export interface DesiredProduct {
  id: string;
  name: string;
  description: string;
  metadata: Record<string, string>;
}

export interface DesiredPrice {
  lookup_key: string;
  product: string;
  /** The catalog's default currency; the others go to currency_options. */
  currency: string;
  unit_amount: number;
  currency_options: Record<string, number>;
  recurring: { interval: Interval } | null;
  nickname: string;
  metadata: Record<string, string>;
}

export interface DesiredCoupon {
  /** Includes a hash of its terms: coupons cannot change, so new terms mean a new coupon. */
  id: string;
  name: string;
  percent_off: number;
  duration: 'once' | 'forever';
  /** The discounted items' products: billing applies the coupon to these items only (kept in metadata). */
  applies_to_products: string[];
  metadata: Record<string, string>;
}

export interface DesiredStripeCatalog {
  products: DesiredProduct[];
  prices: DesiredPrice[];
  coupons: DesiredCoupon[];
}

/** What Stripe holds now, reduced to the fields the diff compares. */
export interface CurrentProduct {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  metadata: Record<string, string>;
}

export interface CurrentPrice {
  id: string;
  product: string;
  active: boolean;
  lookup_key: string | null;
  currency: string;
  unit_amount: number | null;
  currency_options: Record<string, number>;
  recurring: { interval: string } | null;
  nickname: string | null;
  metadata: Record<string, string>;
}

export interface CurrentCoupon {
  id: string;
  valid: boolean;
}

export interface CurrentStripeCatalog {
  products: CurrentProduct[];
  prices: CurrentPrice[];
  coupons: CurrentCoupon[];
}

export type SyncOperation =
  | { op: 'create_product'; product: DesiredProduct }
  | {
      op: 'update_product';
      id: string;
      changes: Partial<Pick<DesiredProduct, 'name' | 'description' | 'metadata'>> & { active?: boolean };
    }
  | { op: 'archive_product'; id: string }
  /** NOTE: created with transfer_lookup_key, so the key moves atomically from `replaces` (if any). */
  | { op: 'create_price'; price: DesiredPrice; replaces?: CurrentPrice }
  | {
      op: 'update_price';
      id: string;
      lookup_key: string;
      changes: { nickname?: string; metadata?: Record<string, string> };
    }
  /** Archived prices stay on the subscriptions that use them: existing subscribers keep their price. */
  | { op: 'archive_price'; id: string; lookup_key: string | null; reason: 'replaced' | 'removed' | 'stale' }
  | { op: 'create_coupon'; coupon: DesiredCoupon }
  | { op: 'delete_coupon'; id: string };

/** Prefix of every id, lookup key and coupon the sync owns; nothing else in the Stripe account is touched. */
export const MANAGED_PREFIX = 'tierlift_';
