import type { AdminApi } from './admin-api';
import type { Formats } from './format';

/** What every dashboard section gets: the signed-in API, the formats and the moment the page loaded. */
export interface SectionContext {
  api: AdminApi;
  formats: Formats;
  now: Date;
}

/** Fills its section's body; throws ApiError when the API refuses. */
export type SectionRenderer = (body: HTMLElement, context: SectionContext) => Promise<void>;
