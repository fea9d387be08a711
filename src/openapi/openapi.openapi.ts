import { z } from 'zod';
import type { RouteSpec } from './route-spec';

const tags = ['Reference'];

/** The reference serves itself: the document and the page that renders it. */
export const openApiRouteSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document (OpenAPI 3.1)',
    tags,
    security: 'none',
    responses: {
      200: {
        description: 'The OpenAPI document, generated from the schemas the routes validate with.',
        schema: z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({}), paths: z.looseObject({}) }),
      },
    },
  },
  {
    method: 'get',
    path: '/docs',
    summary: 'The interactive API reference (a web page)',
    tags,
    security: 'none',
    responses: {
      200: { description: 'An HTML page rendering /openapi.json.', schema: z.string(), contentType: 'text/html' },
    },
  },
];
