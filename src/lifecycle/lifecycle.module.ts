import type { DataSource } from 'typeorm';
import type { Catalog } from '../catalog/catalog.types';
import type { AccountEntitlements } from '../usage/read-entitlements';
import { cancelPreview, type CancelPreview } from './cancel-preview';

export interface LifecycleDeps {
  dataSource: DataSource;
  catalog: Catalog;
  entitlements(accountId: string): Promise<AccountEntitlements | null>;
  clock: { now(): Date };
}

/** Lifecycle (issue #20): the cancel preview and the lifecycle read models. */
export interface LifecycleModule {
  dataSource: DataSource;
  cancelPreview(accountId: string): Promise<CancelPreview>;
}

export function buildLifecycleModule(deps: LifecycleDeps): LifecycleModule {
  return {
    dataSource: deps.dataSource,
    cancelPreview: (accountId) => cancelPreview(deps, accountId),
  };
}
