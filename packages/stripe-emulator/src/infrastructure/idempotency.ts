import { StripeEmulatorError } from '../stripe-error';

export interface StoredResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface SavedIdempotentResult {
  fingerprint: string;
  response: StoredResponse;
  savedAt: number;
}

/** NOTE: Stripe prunes idempotency keys after 24 hours; a key may be reused after that. */
const KEY_LIFETIME_MS = 24 * 3600 * 1000;

export type IdempotencyDecision = { kind: 'execute' } | { kind: 'replay'; response: StoredResponse };

/**
 * Stripe's Idempotency-Key rules: the first result is saved and replayed; the same key
 * with other parameters (or another endpoint) is an `idempotency_error`; a key whose first
 * request is still running answers 409. Results of requests that failed validation are
 * not saved. Saved results live in the emulator state, so they survive a restart.
 */
export class IdempotencyKeys {
  private running = new Map<string, string>();

  constructor(
    private readonly saved: () => Record<string, SavedIdempotentResult>,
    private readonly onSaved: () => void,
  ) {}

  begin(key: string, fingerprint: string): IdempotencyDecision {
    const saved = this.saved()[key];
    const runningFingerprint = this.running.get(key);
    const known = saved?.fingerprint ?? runningFingerprint;
    if (known === undefined) {
      this.running.set(key, fingerprint);
      return { kind: 'execute' };
    }
    if (known !== fingerprint) {
      throw new StripeEmulatorError(400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      });
    }
    if (!saved) {
      throw new StripeEmulatorError(409, {
        type: 'idempotency_error',
        code: 'idempotency_key_in_use',
        message:
          'There is currently another in-progress request using this Stripe-Idempotency-Key. Please try again later.',
      });
    }
    return { kind: 'replay', response: saved.response };
  }

  complete(key: string, response: StoredResponse): void {
    const fingerprint = this.running.get(key);
    if (fingerprint === undefined) return;
    this.running.delete(key);
    const saved = this.saved();
    const now = Date.now();
    for (const [savedKey, entry] of Object.entries(saved))
      if (now - entry.savedAt > KEY_LIFETIME_MS) delete saved[savedKey];
    saved[key] = { fingerprint, response, savedAt: now };
    this.onSaved();
  }

  /** Forget a key whose request never ran (validation error, injected fault). */
  release(key: string): void {
    this.running.delete(key);
  }

  clear(): void {
    this.running.clear();
  }
}
