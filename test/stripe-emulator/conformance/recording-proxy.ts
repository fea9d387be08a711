import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeForm } from '../../../packages/stripe-emulator/src/http/form-decoder';

/** One API exchange as it went over the wire between the service's SDK and the emulator. */
export interface RecordedExchange {
  method: string;
  path: string;
  params: Record<string, unknown>;
  status: number;
  body: unknown;
}

export interface RecordingProxy {
  host: string;
  port: number;
  exchanges: RecordedExchange[];
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of the emulator that keeps every `/v1` request the
 * client sends and every response it receives, so both can be checked against Stripe's types
 * without touching the emulator or the service.
 */
export async function startRecordingProxy(target: { host: string; port: number }): Promise<RecordingProxy> {
  const exchanges: RecordedExchange[] = [];
  const server = http.createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const requestBody = Buffer.concat(chunks);
      const url = new URL(incoming.url ?? '/', 'http://proxy');
      const forward = http.request(
        {
          host: target.host,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            const answerBody = Buffer.concat(answerChunks);
            if (url.pathname.startsWith('/v1/')) {
              const method = (incoming.method ?? 'GET').toUpperCase();
              exchanges.push({
                method,
                path: url.pathname,
                params: decodeForm(
                  method === 'GET' || method === 'DELETE' ? url.search.slice(1) : requestBody.toString(),
                ),
                status: answer.statusCode ?? 0,
                body: parseJson(answerBody.toString()),
              });
            }
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            outgoing.end(answerBody);
          });
        },
      );
      forward.on('error', () => outgoing.socket?.destroy());
      forward.end(requestBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
