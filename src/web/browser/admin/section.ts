import type { AdminApi } from './admin-api';
import type { Formats } from './format';

/** What every dashboard section gets: the signed-in API, the formats and the moment the page loaded. */
export interface SectionContext {
  api: AdminApi;
  formats: Formats;
  /** The service's clock (GET /admin/v1/clock) when the page loaded: never the browser's. */
  now: Date;
  /** The date range the operator chose (defaults: the 90 days up to the service's now). */
  range: { from: Date; to: Date };
  /** Who is signed in: viewers see no action buttons. */
  operator: { id: string; name: string; role: 'viewer' | 'operator' | 'owner' };
  /** Loads every section again (after an action). */
  reload(): Promise<void>;
}

/** Fills its section's body; throws ApiError when the API refuses. */
export type SectionRenderer = (body: HTMLElement, context: SectionContext) => Promise<void>;
