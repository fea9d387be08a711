import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import winston from 'winston';
import { requestContext } from '../../src/shared/http/request-context';
import { parseTraceparent } from '../../src/shared/http/trace-context';

/** An app whose logger keeps its lines (at `info`, the production default) and whose route logs once. */
function tracedApp() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    objectMode: true,
    write(line: Record<string, unknown>, _encoding, done) {
      lines.push(line);
      done();
    },
  });
  const logger = winston.createLogger({ level: 'info', transports: [new winston.transports.Stream({ stream })] });
  const app = express();
  app.use(requestContext(logger));
  app.get('/work', (req, res) => {
    req.context.logger.info('working');
    res.json({ requestId: req.context.requestId, traceId: req.context.trace.traceId });
  });
  return { app, lines };
}

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

describe('traceparent and X-Request-Id', () => {
  it("carries the caller's trace into every log line and echoes it with this request's own span", async () => {
    const { app, lines } = tracedApp();
    const res = await request(app)
      .get('/work')
      .set('traceparent', `00-${CALLER_TRACE}-${CALLER_SPAN}-01`)
      .set('X-Request-Id', 'lb-request-0123456789');
    expect(res.body).toEqual({ requestId: 'lb-request-0123456789', traceId: CALLER_TRACE });
    expect(res.headers['x-request-id']).toBe('lb-request-0123456789');
    expect(res.headers['request-id']).toBe('lb-request-0123456789');
    const echoed = parseTraceparent(res.headers.traceparent);
    expect(echoed).toMatchObject({ traceId: CALLER_TRACE, flags: '01' });
    expect(echoed?.parentSpanId).not.toBe(CALLER_SPAN); // this request's span, child of the caller's
    const spanId = echoed?.parentSpanId;
    for (const message of ['working', 'request']) {
      expect(lines.find((line) => line.message === message)).toMatchObject({
        request_id: 'lb-request-0123456789',
        trace_id: CALLER_TRACE,
        span_id: spanId,
      });
    }
  });

  it('starts a new trace when traceparent is missing or invalid, and a new id for a malformed X-Request-Id', async () => {
    const { app } = tracedApp();
    for (const bad of [
      undefined,
      'garbage',
      `00-${'0'.repeat(32)}-${CALLER_SPAN}-01`,
      `ff-${CALLER_TRACE}-${CALLER_SPAN}-01`,
    ]) {
      const req = request(app).get('/work').set('X-Request-Id', 'bad id');
      const res = await (bad ? req.set('traceparent', bad) : req);
      expect(res.body.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(res.body.traceId).not.toBe(CALLER_TRACE);
      expect(res.body.traceId).not.toMatch(/^0+$/);
      expect(res.headers.traceparent).toBe(
        `00-${res.body.traceId}-${parseTraceparent(res.headers.traceparent)?.parentSpanId}-00`,
      );
      expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{24}$/);
    }
  });

  it('parses W3C traceparent by the spec: later versions may add fields, version 00 may not', () => {
    expect(parseTraceparent(`00-${CALLER_TRACE}-${CALLER_SPAN}-01`)).toEqual({
      traceId: CALLER_TRACE,
      parentSpanId: CALLER_SPAN,
      flags: '01',
    });
    expect(parseTraceparent(`01-${CALLER_TRACE}-${CALLER_SPAN}-01-extra`)).toMatchObject({ traceId: CALLER_TRACE });
    expect(parseTraceparent(`00-${CALLER_TRACE}-${CALLER_SPAN}-01-extra`)).toBeUndefined();
    expect(parseTraceparent(`00-${CALLER_TRACE}-${'0'.repeat(16)}-01`)).toBeUndefined();
    expect(parseTraceparent(`00-${CALLER_TRACE.toUpperCase()}-${CALLER_SPAN}-01`)).toBeUndefined();
  });
});

describe('the access log', () => {
  it('writes one line per request at info, with method, route, status and duration', async () => {
    const { app, lines } = tracedApp();
    await request(app).get('/work');
    await request(app).get('/missing');
    const access = lines.filter((line) => line.message === 'request');
    expect(access).toHaveLength(2);
    expect(access[0]).toMatchObject({ level: 'info', method: 'GET', route: '/work', status: 200 });
    expect(access[1]).toMatchObject({ level: 'info', method: 'GET', route: 'unmatched', status: 404 });
    expect(typeof access[0]?.duration_ms).toBe('number');
  });
});
