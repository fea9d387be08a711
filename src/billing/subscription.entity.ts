import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type SubscriptionStatus =
  | 'incomplete'
  | 'incomplete_expired'
  | 'trialing'
  | 'active'
  | 'past_due'
  | 'canceled'
  | 'unpaid'
  | 'paused';

/** Statuses under which the subscription's plan and add-ons are granted. */
export const GRANTING_STATUSES: ReadonlySet<SubscriptionStatus> = new Set(['trialing', 'active', 'past_due']);

/** One Stripe subscription item as mirrored: the plan's price or an add-on's. */
export interface SubscriptionItem {
  id: string;
  price_id: string;
  kind: 'plan' | 'add_on';
  code: string;
  quantity: number;
}

/** Mirror of a Stripe subscription (see migrations/1763900050000-Subscriptions.ts). */
@Entity({ name: 'subscriptions' })
export class SubscriptionEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'account_id', type: 'text' })
  accountId!: string;

  @Column({ type: 'text' })
  status!: SubscriptionStatus;

  @Column({ name: 'plan_code', type: 'text' })
  planCode!: string;

  @Column({ type: 'text' })
  interval!: 'month' | 'year';

  @Column({ type: 'text' })
  currency!: string;

  @Column({ name: 'billing_cycle_anchor', type: 'timestamptz' })
  billingCycleAnchor!: Date;

  @Column({ name: 'current_period_start', type: 'timestamptz' })
  currentPeriodStart!: Date;

  @Column({ name: 'current_period_end', type: 'timestamptz' })
  currentPeriodEnd!: Date;

  @Column({ name: 'cancel_at_period_end', type: 'boolean', default: false })
  cancelAtPeriodEnd!: boolean;

  @Column({ name: 'canceled_at', type: 'timestamptz', nullable: true })
  canceledAt!: Date | null;

  @Column({ name: 'trial_end', type: 'timestamptz', nullable: true })
  trialEnd!: Date | null;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  items!: SubscriptionItem[];

  @Column({ name: 'pending_update', type: 'jsonb', nullable: true })
  pendingUpdate!: Record<string, unknown> | null;

  @Column({ name: 'scheduled_change', type: 'jsonb', nullable: true })
  scheduledChange!: Record<string, unknown> | null;

  @Column({ name: 'stripe_created_at', type: 'timestamptz' })
  stripeCreatedAt!: Date;

  @Column({ name: 'synced_at', type: 'timestamptz' })
  syncedAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
