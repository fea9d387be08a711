import { z } from 'zod';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';

const tags = ['Pages'];
const notBuilt = errorResponse('The browser assets are not built (`assets_not_built`): run `npm run build:web`.');

/** The pages people open in a browser (src/web/web.routes.ts); /assets is static files, not routes. */
export const webRouteSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/admin',
    summary: 'The operator dashboard (a web page; it calls the admin API with the operator key)',
    tags,
    security: 'none',
    responses: { 200: { description: 'The page.', schema: z.string(), contentType: 'text/html' }, 503: notBuilt },
  },
  {
    method: 'get',
    path: '/demo',
    summary: 'A demo SaaS page showing the prompt widget (local mode only)',
    tags,
    security: 'none',
    localOnly: true,
    responses: { 200: { description: 'The page.', schema: z.string(), contentType: 'text/html' }, 503: notBuilt },
  },
];
