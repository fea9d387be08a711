import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const COMPANY_SIZES = ['1-10', '11-50', '51-200', '201-1000', '1001+'] as const;
export type CompanySize = (typeof COMPANY_SIZES)[number];

/** A customer account of the SaaS, keyed by the SaaS's own account id. */
@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'char', length: 2 })
  country!: string;

  @Column({ type: 'text' })
  locale!: string;

  @Column({ type: 'text', nullable: true })
  industry!: string | null;

  @Column({ name: 'company_size', type: 'text', nullable: true })
  companySize!: CompanySize | null;

  /** When the account was created in the SaaS (drives free-plan periods and lifecycle offers). */
  @Column({ name: 'signed_up_at', type: 'timestamptz' })
  signedUpAt!: Date;

  @Column({ name: 'stripe_customer_id', type: 'text', nullable: true })
  stripeCustomerId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
