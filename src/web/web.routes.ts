import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Response } from 'express';
import { serviceUnavailable } from '../shared/errors';
import { repositoryRoot } from '../shared/repository-root';

export interface WebRouteDeps {
  /** The built browser assets (`npm run build:web`); dist/web by default. */
  assetsDir?: string;
  /** Serves the demo SaaS page at /demo: local mode only, never in production. */
  demoPage: boolean;
}

export function defaultAssetsDir(): string {
  return path.join(repositoryRoot(), 'dist', 'web');
}

/**
 * What people see in a browser: the prompt widget script (embeddable from any origin), the
 * operator dashboard page at /admin and, in local mode, the demo SaaS page at /demo. The pages
 * are static; they talk to the same JSON API as everyone else, with the caller's credential.
 */
export function buildWebRouter(deps: WebRouteDeps): Router {
  const router = Router();
  const dir = deps.assetsDir ?? defaultAssetsDir();

  // NOTE: helmet's default Cross-Origin-Resource-Policy (same-origin) would stop a SaaS frontend on
  // its own origin from loading the widget with a <script> tag; the assets are public and static.
  router.use(
    '/assets',
    (_req, res, next) => {
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      next();
    },
    express.static(dir, { index: false, dotfiles: 'deny', maxAge: '5m', fallthrough: true }),
  );

  const page = (file: string) => (_req: unknown, res: Response) => {
    const full = path.join(dir, file);
    if (!fs.existsSync(full))
      throw serviceUnavailable('assets_not_built', 'The browser assets are not built: run `npm run build:web`.');
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(full);
  };
  router.get('/admin', page('admin.html'));
  if (deps.demoPage) router.get('/demo', page('demo.html'));
  return router;
}
