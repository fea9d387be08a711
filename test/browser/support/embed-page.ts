import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmbedPage {
  /** The origin of the SaaS's page, e.g. http://127.0.0.1:41234. */
  origin: string;
  /** A page embedding `<tag attrs>` with the widget script from the service. */
  url(tag: string, attrs?: string, lang?: string): string;
  close(): Promise<void>;
}

/**
 * A SaaS's own page on another origin (another port of the loopback address), embedding one
 * Tierlift element with a single script tag. NOTE: a real server rather than a routed page: for a
 * page of no known address Chromium's local network access asks the person before loading from loopback.
 */
export async function serveEmbedPage(serviceUrl: string, port = 0): Promise<EmbedPage> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const tag = (url.searchParams.get('tag') ?? 'tierlift-prompt').replace(/[^a-z-]/g, '');
    const attributes = url.searchParams.get('attrs') ?? '';
    const lang = (url.searchParams.get('lang') ?? 'en').replace(/[^A-Za-z-]/g, '');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title>
<style>body { margin: 0; padding: 1rem; font-family: sans-serif; } ${tag} { --tierlift-accent: #6b21a8; }</style>
<script src="${serviceUrl}/assets/tierlift-prompt.js" defer></script></head>
<body><main><h1>Shop</h1><${tag} ${attributes}></${tag}></main></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (tag, attrs = '', lang = 'en') =>
      `${origin}/?tag=${tag}&attrs=${encodeURIComponent(attrs)}&lang=${encodeURIComponent(lang)}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
