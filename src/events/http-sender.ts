import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress } from './endpoint-url-policy';

export interface SendResult {
  status: number | null;
  error: string | null;
}

export type SendRequest = (url: string, headers: Record<string, string>, body: string) => Promise<SendResult>;

/** Refuses, at connect time, a hostname that now resolves to a private address (DNS rebinding). */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 4);
    const list = addresses as unknown as dns.LookupAddress[];
    const blocked = list.find((entry) => isPrivateAddress(entry.address));
    if (blocked) return callback(new Error(`${hostname} resolves to a private address`), '', 4);
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    const first = list[0]!;
    return callback(null, first.address, first.family);
  });
};

/**
 * POSTs deliveries over keep-alive connections (one pool per process), each attempt bounded by
 * `timeoutMs`; the response body is drained and ignored: only the status counts.
 */
export function httpSender(options: { timeoutMs: number; production: boolean; maxSockets?: number }): {
  send: SendRequest;
  close(): void;
} {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? 256,
    ...(options.production ? { lookup: publicOnlyLookup } : {}),
  };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  const send: SendRequest = (url, headers, body) =>
    new Promise((resolve) => {
      const target = new URL(url);
      const protocol = target.protocol === 'https:' ? 'https:' : 'http:';
      if (options.production && protocol !== 'https:') return resolve({ status: null, error: 'https required' });
      const transport = protocol === 'https:' ? https : http;
      let settled = false;
      const finish = (result: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = transport.request(
        target,
        {
          method: 'POST',
          agent: agents[protocol],
          headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.on('error', () => finish({ status: res.statusCode ?? null, error: 'response aborted' }));
          res.on('end', () => finish({ status: res.statusCode ?? null, error: null }));
          res.resume();
        },
      );
      // NOTE: the attempt's time starts when it has a connection: waiting in the agent's queue for a
      // free socket is ours, not the receiver's (counting it timed out deliveries that then arrived).
      let timer: NodeJS.Timeout | undefined = setTimeout(() => expire(), options.timeoutMs * 3);
      const expire = () => {
        finish({ status: null, error: `timed out after ${options.timeoutMs} ms` });
        req.destroy();
      };
      req.once('socket', () => {
        clearTimeout(timer);
        timer = setTimeout(expire, options.timeoutMs);
      });
      req.on('error', (error) => finish({ status: null, error: error.message.slice(0, 300) }));
      req.end(body);
    });
  return {
    send,
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
