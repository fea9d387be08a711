import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../shared/money';

/** One catalog version (by content hash) and whether it is the one live in Stripe. */
@Entity({ name: 'catalog_versions' })
export class CatalogVersionEntity {
  // bigserial: rows are inserted by the repository's SQL, never through the entity.
  @PrimaryColumn({ type: 'bigint', transformer: bigintTransformer })
  id!: number;

  @Column({ type: 'text' })
  version!: string;

  @Column({ type: 'jsonb' })
  content!: unknown;

  @Column({ name: 'source_text', type: 'text' })
  sourceText!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'is_live', type: 'boolean' })
  isLive!: boolean;

  @Column({ name: 'synced_at', type: 'timestamptz', nullable: true })
  syncedAt!: Date | null;

  @Column({ name: 'synced_by', type: 'text', nullable: true })
  syncedBy!: string | null;

  @Column({ name: 'sync_summary', type: 'jsonb', nullable: true })
  syncSummary!: SyncSummary | null;
}

export interface SyncSummary {
  operations: number;
  lines: string[];
}
