import { pathMatches } from './request-log';

export type FaultKind =
  | 'api_error_500'
  | 'rate_limit_429'
  | 'lock_timeout_429'
  | 'drop_connection'
  | 'delay'
  /** A definite refusal: 400 invalid_request_error, nothing done. */
  | 'invalid_request_400';

export interface FaultSpec {
  method: string;
  /** Exact path, or a prefix ending in '*'. */
  path: string;
  kind: FaultKind;
  /** How many matching requests it hits; default 1. */
  count?: number;
  /** How many matching requests it lets through first (e.g. 1: the second one fails); default 0. */
  skip?: number;
  delayMs?: number;
  /** Run the request first, then fail the response ("Stripe did it, we never heard back"). */
  after?: boolean;
}

interface ArmedFault extends FaultSpec {
  remaining: number;
  toSkip: number;
}

/** Faults armed by tests, consumed by the next matching requests. */
export class FaultInjector {
  private faults: ArmedFault[] = [];

  inject(spec: FaultSpec): void {
    this.faults.push({
      ...spec,
      method: spec.method.toUpperCase(),
      remaining: spec.count ?? 1,
      toSkip: spec.skip ?? 0,
    });
  }

  clear(): void {
    this.faults = [];
  }

  /** Takes (and counts down) the first fault for this request and phase. */
  take(method: string, path: string, phase: 'before' | 'after'): FaultSpec | undefined {
    const fault = this.faults.find(
      (candidate) =>
        candidate.remaining > 0 &&
        Boolean(candidate.after) === (phase === 'after') &&
        (candidate.method === '*' || candidate.method === method) &&
        pathMatches(candidate.path, path),
    );
    if (!fault) return undefined;
    if (fault.toSkip > 0) {
      fault.toSkip -= 1;
      return undefined;
    }
    fault.remaining -= 1;
    this.faults = this.faults.filter((candidate) => candidate.remaining > 0);
    return fault;
  }
}
