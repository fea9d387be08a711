import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { EmulatorControl } from '../emulator-options';
import type { EmulatorCore } from '../emulator-core';
import { handleControlRequest } from '../control/control-routes';
import type { ApiPipeline } from './api-pipeline';
import { handleAuthenticationPage } from './authentication-page';
import { handleCheckoutPage } from './checkout-page';
import { handleInvoicePage } from './invoice-page';

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** One node:http server: `/v1` is Stripe's API, `/checkout`, `/invoice` and `/authenticate` the hosted pages, `/_emulator` the test controls. */
export function createEmulatorServer(core: EmulatorCore, api: ApiPipeline, control: EmulatorControl): Server {
  return createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const method = (request.method ?? 'GET').toUpperCase();
      const url = new URL(request.url ?? '/', 'http://emulator.local');
      const body = await readBody(request);
      if (url.pathname.startsWith('/_emulator/')) return handleControlRequest(control, method, url, body, response);
      if (url.pathname.startsWith('/checkout/')) return handleCheckoutPage(core, method, url, body, response);
      if (url.pathname.startsWith('/invoice/') && method === 'GET') return handleInvoicePage(core, url, response);
      if (url.pathname.startsWith('/authenticate/'))
        return handleAuthenticationPage(core, control, method, url, response);
      return api.handle(request, response, url, body);
    })().catch((error: unknown) => {
      core.log('error', 'emulator server error', { error: String(error) });
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: { type: 'api_error', message: 'An unknown error occurred' } }));
    });
  });
}
