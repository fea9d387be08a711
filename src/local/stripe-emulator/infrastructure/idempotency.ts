import { StripeEmulatorError } from '../stripe-error';

export interface StoredResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

interface Entry {
  fingerprint: string;
  response: StoredResponse | null;
}

export type IdempotencyDecision = { kind: 'execute' } | { kind: 'replay'; response: StoredResponse };

/**
 * Stripe's Idempotency-Key rules: the first result is saved and replayed; the same key
 * with other parameters is an `idempotency_error`; a key whose first request is still
 * running answers 409. Results of requests that failed validation are not saved.
 */
export class IdempotencyKeys {
  private entries = new Map<string, Entry>();

  begin(key: string, fingerprint: string): IdempotencyDecision {
    const entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, { fingerprint, response: null });
      return { kind: 'execute' };
    }
    if (entry.fingerprint !== fingerprint) {
      throw new StripeEmulatorError(400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      });
    }
    if (!entry.response) {
      throw new StripeEmulatorError(409, {
        type: 'idempotency_error',
        code: 'idempotency_key_in_use',
        message:
          'There is currently another in-progress request using this Stripe-Idempotency-Key. Please try again later.',
      });
    }
    return { kind: 'replay', response: entry.response };
  }

  complete(key: string, response: StoredResponse): void {
    const entry = this.entries.get(key);
    if (entry) entry.response = response;
  }

  /** Forget a key whose request never ran (validation error, injected fault). */
  release(key: string): void {
    const entry = this.entries.get(key);
    if (entry && !entry.response) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
