import type { FaultSpec } from './infrastructure/faults';
import type { RequestLogEntry, RequestLogFilter } from './infrastructure/request-log';
import type { DeliveryMode, PendingDelivery, WebhookRetryPolicy } from './webhooks/webhook-dispatcher';

export type EmulatorLog = (
  level: 'debug' | 'info' | 'warn' | 'error',
  message: string,
  meta?: Record<string, unknown>,
) => void;

export interface StripeEmulatorOptions {
  /** 0 = a random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** JSON file: loaded on start, saved after each mutating request (atomic write via rename) and on close. */
  statePath?: string;
  log?: EmulatorLog;
  /** Unix seconds; default real time. Test clocks override it per customer. */
  now?: () => number;
  /** Webhook retry backoff; default 5 attempts, 1 s doubling, capped at 8 s. */
  webhookRetry?: Partial<WebhookRetryPolicy>;
}

/** Test controls: in process here, and over HTTP under `/_emulator/...`. */
export interface EmulatorControl {
  reset(): Promise<void>;
  injectFault(fault: FaultSpec): Promise<void>;
  clearFaults(): Promise<void>;
  requestLog(filter?: RequestLogFilter): Promise<RequestLogEntry[]>;
  clearRequestLog(): Promise<void>;
  /** 3-D Secure succeeds: the PaymentIntent is charged and whatever waited on it proceeds. */
  completeAuthentication(paymentIntentId: string): Promise<void>;
  failAuthentication(paymentIntentId: string): Promise<void>;
  setDeliveryMode(mode: Partial<DeliveryMode>): Promise<void>;
  flushDeliveries(): Promise<void>;
  pendingDeliveries(): Promise<PendingDelivery[]>;
  deliverEvent(eventId: string, endpointId?: string): Promise<void>;
  /** Waits until no webhook delivery is in flight (retries still scheduled are not waited for). */
  waitForDeliveries(): Promise<void>;
  /** Opens a dispute on a charge (`charge.dispute.created`). */
  createDispute(chargeId: string, options?: { reason?: string; amount?: number }): Promise<Record<string, unknown>>;
}

export interface StripeEmulator {
  url: string;
  host: string;
  port: number;
  /** Any `sk_test_...` key is accepted; this is a convenient one. */
  secretKey: string;
  control: EmulatorControl;
  close(): Promise<void>;
}
