import http from 'node:http';
import express, { type Express } from 'express';

/** An HTTP server that answers with `initial` until `serve(app)` hands it an Express app. */
export interface ExpressServer {
  server: http.Server;
  serve(app: Express): void;
  /**
   * Graceful drain: stops accepting, closes idle keep-alive connections at once, answers every
   * in-flight and later request on an open connection with `Connection: close`, and resolves
   * when the last connection is gone. After `timeoutMs` the remaining connections are cut.
   */
  drain(timeoutMs: number, onTimeout?: () => void): Promise<void>;
}

type Constructor = (this: unknown, ...args: unknown[]) => void;

/**
 * An HTTP server whose requests and responses are born with their Express app's prototypes.
 *
 * NOTE: Express gives every request and response its app's prototypes with Object.setPrototypeOf
 * (express 5, lib/application.js, app.handle). V8 then moves each of them to a new shape after
 * birth, and on the 2-core machine 4-5 kB of every request outlived two scavenges and was promoted:
 * under load old space grew by 190 MB every 10 s, scavenges took 6-10 ms and mark-compacts followed;
 * a bare route kept half its throughput. Born with the app's prototypes, the call finds the
 * prototype already in place and changes nothing (see benchmarks/README.md).
 * Node's own IncomingMessage and ServerResponse are called as functions on the new object, as their
 * subclasses in Node itself do; should a Node release make them classes, the server is plain.
 */
export function createExpressServer(initial: http.RequestListener): ExpressServer {
  const requestPrototype = Object.create(express.request) as object;
  const responsePrototype = Object.create(express.response) as object;
  let handler = initial;
  let draining = false;
  const inFlight = new Set<http.ServerResponse>();
  const listener: http.RequestListener = (req, res) => {
    // NOTE: a request that arrives on a kept-alive connection during the drain is still answered;
    // its connection closes after it, so the client opens its next one elsewhere.
    if (draining) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      // NOTE: an answer whose headers went out before the drain kept its connection alive: idle now, so closed.
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
    handler(req, res);
  };
  const server = bornWith(requestPrototype, responsePrototype)
    ? http.createServer(
        {
          IncomingMessage: constructorWith(requestPrototype, http.IncomingMessage),
          ServerResponse: constructorWith(responsePrototype, http.ServerResponse),
        },
        listener,
      )
    : http.createServer(listener);
  return {
    server,
    serve(app) {
      // NOTE: one app per server: the prototypes are that app's.
      if (handler !== initial) throw new Error('createExpressServer: this server already serves an app');
      // NOTE: what express() itself gives app.request and app.response: its prototypes plus `app`.
      const ownApp = { configurable: true, enumerable: true, writable: true, value: app };
      Object.defineProperty(requestPrototype, 'app', ownApp);
      Object.defineProperty(responsePrototype, 'app', ownApp);
      app.request = requestPrototype as Express['request'];
      app.response = responsePrototype as Express['response'];
      handler = app;
    },
    drain(timeoutMs, onTimeout) {
      draining = true;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          onTimeout?.();
          server.closeAllConnections();
        }, timeoutMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
        server.closeIdleConnections();
      });
    },
  };
}

const isPlainFunction = (f: unknown) =>
  typeof f === 'function' && !/^class\b/.test(Function.prototype.toString.call(f));

function bornWith(requestPrototype: object, responsePrototype: object): boolean {
  return (
    isPlainFunction(http.IncomingMessage) &&
    isPlainFunction(http.ServerResponse) &&
    requestPrototype instanceof http.IncomingMessage &&
    responsePrototype instanceof http.ServerResponse
  );
}

function constructorWith(prototype: object, base: unknown): never {
  const construct = base as Constructor;
  function Born(this: unknown, ...args: unknown[]): void {
    construct.call(this, ...args);
  }
  Born.prototype = prototype;
  return Born as never;
}
