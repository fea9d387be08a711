import type { Express } from 'express';

export type RouteMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface AppRoute {
  method: RouteMethod;
  /** Express style: `/v1/changes/:id`. */
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/**
 * Every route the app registers, read from its router (nested routers included), so a test that
 * covers "every route" cannot miss a new one. Middleware mounted with `use` (static files) is not a route.
 */
export function appRoutes(app: Express): AppRoute[] {
  const found: AppRoute[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods))
          if (method !== '_all') found.push({ method: method as RouteMethod, path: layer.route.path });
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found;
}

/** `/v1/changes/:id` → `/v1/changes/{id}` (OpenAPI's spelling). */
export const openApiPath = (expressPath: string) => expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
