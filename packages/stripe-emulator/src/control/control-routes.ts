import type { ServerResponse } from 'node:http';
import type { EmulatorControl } from '../emulator-options';
import type { FaultSpec } from '../infrastructure/faults';
import { StripeEmulatorError } from '../stripe-error';

type ControlHandler = (
  control: EmulatorControl,
  body: Record<string, unknown>,
  match: string[],
  query: URLSearchParams,
) => Promise<unknown>;

/** `/_emulator/...`: the same controls over HTTP, so another process can drive the emulator. */
const CONTROL_ROUTES: Array<{ method: string; pattern: RegExp; handle: ControlHandler }> = [
  { method: 'POST', pattern: /^\/_emulator\/reset$/, handle: (control) => control.reset() },
  {
    method: 'POST',
    pattern: /^\/_emulator\/faults$/,
    handle: (control, body) => control.injectFault(body as unknown as FaultSpec),
  },
  { method: 'DELETE', pattern: /^\/_emulator\/faults$/, handle: (control) => control.clearFaults() },
  {
    method: 'GET',
    pattern: /^\/_emulator\/requests$/,
    handle: (control, _body, _match, query) =>
      control.requestLog({ method: query.get('method') ?? undefined, path: query.get('path') ?? undefined }),
  },
  { method: 'DELETE', pattern: /^\/_emulator\/requests$/, handle: (control) => control.clearRequestLog() },
  {
    method: 'POST',
    pattern: /^\/_emulator\/payment_intents\/([^/]+)\/complete_authentication$/,
    handle: (control, _body, match) => control.completeAuthentication(match[1] ?? ''),
  },
  {
    method: 'POST',
    pattern: /^\/_emulator\/payment_intents\/([^/]+)\/fail_authentication$/,
    handle: (control, _body, match) => control.failAuthentication(match[1] ?? ''),
  },
  { method: 'POST', pattern: /^\/_emulator\/delivery_mode$/, handle: (control, body) => control.setDeliveryMode(body) },
  { method: 'GET', pattern: /^\/_emulator\/deliveries$/, handle: (control) => control.pendingDeliveries() },
  { method: 'POST', pattern: /^\/_emulator\/deliveries\/flush$/, handle: (control) => control.flushDeliveries() },
  { method: 'POST', pattern: /^\/_emulator\/deliveries\/wait$/, handle: (control) => control.waitForDeliveries() },
  {
    method: 'POST',
    pattern: /^\/_emulator\/events\/([^/]+)\/deliver$/,
    handle: (control, body, match) =>
      control.deliverEvent(match[1] ?? '', typeof body.endpointId === 'string' ? body.endpointId : undefined),
  },
  {
    method: 'POST',
    pattern: /^\/_emulator\/charges\/([^/]+)\/dispute$/,
    handle: (control, body, match) => control.createDispute(match[1] ?? '', body),
  },
];

export async function handleControlRequest(
  control: EmulatorControl,
  method: string,
  url: URL,
  body: string,
  response: ServerResponse,
): Promise<void> {
  const route = CONTROL_ROUTES.find((candidate) => candidate.method === method && candidate.pattern.test(url.pathname));
  const send = (status: number, payload: unknown) => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(payload ?? { ok: true }));
  };
  if (!route)
    return send(404, {
      error: { type: 'invalid_request_error', message: `Unknown emulator control: ${method} ${url.pathname}` },
    });
  try {
    const parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const match = url.pathname.match(route.pattern) ?? [];
    send(200, await route.handle(control, parsed, [...match], url.searchParams));
  } catch (error) {
    if (error instanceof StripeEmulatorError) return send(error.statusCode, error.toBody('control'));
    send(400, { error: { type: 'invalid_request_error', message: String(error) } });
  }
}
