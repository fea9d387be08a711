import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  event: { id: string; type: string; account_id: string | null; data: Record<string, unknown> };
}

/**
 * A local receiver as an operator would write one: every request is verified with the
 * `standardwebhooks` library against the endpoint's secret(s); a request that fails verification
 * is answered 400 and counted in `rejected`. `mode` makes it answer 503 (down) or never (hang).
 */
export async function startReceiver(): Promise<{
  url: string;
  secrets: string[];
  received: Received[];
  rejected: number;
  mode: 'up' | 'down' | 'hang';
  close(): Promise<void>;
}> {
  const state = {
    url: '',
    secrets: [] as string[],
    received: [] as Received[],
    rejected: 0,
    mode: 'up' as 'up' | 'down' | 'hang',
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (state.mode === 'hang') return;
      if (state.mode === 'down') return void res.writeHead(503).end();
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(req.headers['webhook-id']),
        'webhook-timestamp': String(req.headers['webhook-timestamp']),
        'webhook-signature': String(req.headers['webhook-signature']),
      };
      const verified = state.secrets.some((secret) => {
        try {
          new Webhook(secret).verify(body, headers);
          return true;
        } catch {
          return false;
        }
      });
      if (!verified) {
        state.rejected += 1;
        return void res.writeHead(400).end();
      }
      state.received.push({
        id: headers['webhook-id'],
        timestamp: headers['webhook-timestamp'],
        signature: headers['webhook-signature'],
        body,
        event: JSON.parse(body) as Received['event'],
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
