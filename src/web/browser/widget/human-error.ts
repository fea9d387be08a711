import { TierliftError } from '../client/tierlift-client';
import { h } from './dom';
import type { SurfaceStrings } from './surface-strings';

/**
 * What a person reads when something fails: a sentence in their language, never the API's or the
 * browser's developer message ("Failed to fetch", zod issues, "The token is invalid."). Those go
 * to the console, for the developer embedding the element.
 */
export function humanError(error: unknown, strings: SurfaceStrings): string {
  if (error instanceof TierliftError) {
    if (error.status === 401) return strings.errors.signIn;
    if (error.status === 403) return strings.errors.notAllowed;
    if (error.status === 404) return strings.errors.notFound;
    if (error.status === 429 || error.status >= 500) return strings.errors.busy;
    return strings.errors.generic;
  }
  // NOTE: fetch rejects with a TypeError when the request never arrived (offline, CORS, DNS).
  if (error instanceof TypeError) return strings.errors.network;
  return strings.errors.generic;
}

/** The developer's half of an error: the API's code and message, or the exception, in the console. */
export function logForDeveloper(element: string, error: unknown): void {
  const detail =
    error instanceof TierliftError
      ? `${error.status} ${error.code}: ${error.message}${error.requestId ? ` (request ${error.requestId})` : ''}`
      : error instanceof Error
        ? error.message
        : String(error);
  // NOTE: the browser console is the developer's channel here (no logger runs in the embedding page).
  // eslint-disable-next-line no-console
  console.warn(`${element}: ${detail}`);
}

/** An alert with the human sentence and a retry button. */
export function errorWithRetry(
  element: string,
  error: unknown,
  strings: SurfaceStrings,
  retry: () => void,
): HTMLElement {
  logForDeveloper(element, error);
  const button = h('button', { type: 'button', 'data-action': 'retry' }, strings.retry);
  button.addEventListener('click', retry);
  return h(
    'div',
    { class: 'error', role: 'alert', 'data-error': true },
    h('p', {}, humanError(error, strings)),
    h('div', { class: 'actions' }, button),
  );
}
