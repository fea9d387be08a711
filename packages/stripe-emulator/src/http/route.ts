import type { EmulatorContext } from '../emulator-context';
import { expand, integer, type ObjectOf, string, type Field } from './param-schema';

type Shape = Record<string, Field<unknown>>;
export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface RouteCall<P> {
  context: EmulatorContext;
  params: P & { expand?: string[] };
  path: Record<string, string>;
}

/** One Stripe endpoint: its method, path pattern, full parameter tree and handler. */
export interface Route {
  method: HttpMethod;
  path: string;
  params: Shape;
  /** A preview: computed like the real thing, then every change is thrown away. */
  discardChanges?: boolean;
  handle(call: RouteCall<Record<string, unknown>>): object;
}

/** Declares an endpoint; every Stripe endpoint also accepts `expand[]`. */
export function defineRoute<S extends Shape>(route: {
  method: HttpMethod;
  path: string;
  params: S;
  discardChanges?: boolean;
  handle(call: RouteCall<ObjectOf<S>>): object;
}): Route {
  return { ...route, params: { ...route.params, expand: expand() } } as unknown as Route;
}

/** The cursor parameters every list endpoint takes. */
export const listParams = { limit: integer(), starting_after: string(), ending_before: string() };

export interface RouteMatch {
  route: Route;
  path: Record<string, string>;
}

/** Literal segments win over parameters (`/v1/invoices/create_preview` before `/v1/invoices/:invoice`). */
export function matchRoute(routes: Route[], method: string, pathname: string): RouteMatch | undefined {
  const actual = pathname.split('/');
  const candidates: RouteMatch[] = [];
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/');
    if (pattern.length !== actual.length) continue;
    const path: Record<string, string> = {};
    const matches = pattern.every((segment, index) => {
      const value = actual[index] ?? '';
      if (segment.startsWith(':')) {
        path[segment.slice(1)] = decodeURIComponent(value);
        return value.length > 0;
      }
      return segment === value;
    });
    if (matches) candidates.push({ route, path });
  }
  return candidates.sort((a, b) => Object.keys(a.path).length - Object.keys(b.path).length)[0];
}
