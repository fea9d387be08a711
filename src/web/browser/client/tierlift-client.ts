import type {
  AdminRequest,
  AdminRequestKind,
  CancelPreview,
  InvoiceSummary,
  PaymentMethodSession,
} from './billing-page-types';
import type {
  AccountView,
  ApiErrorBody,
  Change,
  ComparisonTable,
  EntitlementCheck,
  EntitlementList,
  Placement,
  PromptEventResult,
  PromptEventType,
  PromptList,
  Quote,
  QuoteRequest,
  RefundClaim,
  RefundEligibility,
} from './tierlift-types';

export type * from './tierlift-types';
export type * from './billing-page-types';

/** Any fetch-compatible function (the browser's, Node 20's, or a test double). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface TierliftClientOptions {
  /** Where Tierlift answers, e.g. `https://billing.example.com` (no trailing path needed). */
  baseUrl: string;
  /**
   * The end user's JWT, fetched fresh for each request (your SaaS issues it). Absent: only the
   * public calls (`publicPlans`) work; the others throw a `TierliftError` with code `no_token`.
   */
  getToken?: () => Promise<string>;
  fetch?: FetchLike;
  /** How often a request that failed to arrive (network error, 5xx) is retried; default 2. */
  retries?: number;
}

/** An answer that is not 2xx: the API's error body, typed, beside the HTTP status. */
export class TierliftError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly param: string | null;
  readonly requestId: string | null;
  readonly body: ApiErrorBody;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'TierliftError';
    this.status = status;
    this.body = body;
    this.type = body.type;
    this.code = body.code;
    this.param = body.param ?? null;
    this.requestId = body.request_id ?? null;
  }
}

interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Money-moving POSTs: one key per logical attempt, reused by every retry of it. */
  idempotent?: boolean;
  /** Public endpoints: no Authorization header. */
  anonymous?: boolean;
}

/**
 * A typed client for Tierlift's end-user endpoints. DOM-free: runs in browsers and Node 20.
 * NOTE: only requests that carry an Idempotency-Key (or read) are retried; the API replays the
 * first answer for the same key, so a retry after a lost answer never pays twice.
 */
export class TierliftClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  private readonly retries: number;

  constructor(private readonly options: TierliftClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.retries = options.retries ?? 2;
  }

  account(): Promise<AccountView> {
    return this.request('GET', '/v1/account');
  }

  plans(query: { interval?: 'month' | 'year'; locale?: string; country?: string } = {}): Promise<ComparisonTable> {
    return this.request('GET', '/v1/plans', { query });
  }

  /** The public catalog for a logged-out pricing page (no token needed). */
  publicPlans(
    query: { interval?: 'month' | 'year'; locale?: string; country?: string; currency?: string } = {},
  ): Promise<ComparisonTable> {
    return this.request('GET', '/v1/public/plans', { query, anonymous: true });
  }

  entitlements(): Promise<EntitlementList> {
    return this.request('GET', '/v1/entitlements');
  }

  entitlement(feature: string, quantity?: number): Promise<EntitlementCheck> {
    return this.request('GET', `/v1/entitlements/${encodeURIComponent(feature)}`, { query: { quantity } });
  }

  prompts(query: { placement?: Placement; feature?: string } = {}): Promise<PromptList> {
    return this.request('GET', '/v1/prompts', { query });
  }

  recordPromptEvent(promptId: string, type: PromptEventType): Promise<PromptEventResult> {
    return this.request('POST', `/v1/prompts/${encodeURIComponent(promptId)}/events`, { body: { type } });
  }

  quote(request: QuoteRequest): Promise<Quote> {
    return this.request('POST', '/v1/quotes', { body: request });
  }

  /**
   * Applies a quote; the Idempotency-Key is generated here and reused by every retry. `returnUrls`:
   * where Checkout sends the customer back (on an origin the service allows: RETURN_URL_ALLOWED_ORIGINS).
   */
  createChange(quoteId: string, returnUrls?: { success_url: string; cancel_url: string }): Promise<Change> {
    return this.request('POST', '/v1/changes', { body: { quote_id: quoteId, ...returnUrls }, idempotent: true });
  }

  change(operationId: string): Promise<Change> {
    return this.request('GET', `/v1/changes/${encodeURIComponent(operationId)}`);
  }

  cancelChange(operationId: string): Promise<Change> {
    return this.request('POST', `/v1/changes/${encodeURIComponent(operationId)}/cancel`, {
      body: {},
      idempotent: true,
    });
  }

  /** Cancels at the period's end; `reason` / `reason_text`: why, when the customer says (optional). */
  cancelSubscription(why: { reason?: string; reason_text?: string } = {}): Promise<Change> {
    return this.request('POST', '/v1/subscription/cancel', {
      body: { at_period_end: true, ...why },
      idempotent: true,
    });
  }

  /** What canceling would mean: when it takes effect, and smaller plans that still fit the usage. */
  cancelPreview(): Promise<CancelPreview> {
    return this.request('GET', '/v1/subscription/cancel-preview');
  }

  /** "Ask your admin": a member's request to the account's owner. */
  askAdmin(kind: AdminRequestKind, message?: string): Promise<AdminRequest> {
    return this.request('POST', '/v1/admin-requests', { body: message ? { kind, message } : { kind } });
  }

  /** The account's invoices, newest first, with the hosted invoice page and PDF links. */
  async invoices(limit?: number): Promise<InvoiceSummary[]> {
    return (await this.request<{ data: InvoiceSummary[] }>('GET', '/v1/invoices', { query: { limit } })).data;
  }

  /** Stripe Checkout in setup mode to replace the card; Stripe sends the customer back to `returnUrl`. */
  paymentMethodSession(returnUrl: string): Promise<PaymentMethodSession> {
    return this.request('POST', '/v1/payment-method/sessions', { body: { return_url: returnUrl }, idempotent: true });
  }

  /** The members' requests (owner and admins). */
  async adminRequests(): Promise<AdminRequest[]> {
    return (await this.request<{ data: AdminRequest[] }>('GET', '/v1/admin-requests')).data;
  }

  resumeSubscription(): Promise<Change> {
    return this.request('POST', '/v1/subscription/resume', { body: {}, idempotent: true });
  }

  async refundEligibility(): Promise<RefundEligibility[]> {
    const list = await this.request<{ data: RefundEligibility[] }>('GET', '/v1/refunds/eligibility');
    return list.data;
  }

  claimRefund(purchaseId: string, reason: string): Promise<RefundClaim> {
    return this.request('POST', '/v1/refunds', { body: { purchase_id: purchaseId, reason }, idempotent: true });
  }

  private token(): Promise<string> {
    const { getToken } = this.options;
    if (!getToken)
      throw new TierliftError(401, {
        type: 'authentication_error',
        code: 'no_token',
        message: 'No getToken was given to TierliftClient: only public calls work without one.',
      });
    return getToken();
  }

  private async request<T>(method: 'GET' | 'POST', path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const idempotencyKey = options.idempotent ? globalThis.crypto.randomUUID() : undefined;
    const retryable = method === 'GET' || idempotencyKey !== undefined;
    for (let attempt = 0; ; attempt += 1) {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (!options.anonymous) headers.Authorization = `Bearer ${await this.token()}`;
      if (options.body !== undefined) headers['Content-Type'] = 'application/json';
      if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
      let response: Response;
      try {
        response = await this.fetchImpl(url.toString(), {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
        });
      } catch (error) {
        if (retryable && attempt < this.retries) {
          await pause(attempt);
          continue;
        }
        throw error;
      }
      if (response.status >= 500 && retryable && attempt < this.retries) {
        await pause(attempt);
        continue;
      }
      const text = await response.text();
      const parsed: unknown = text ? JSON.parse(text) : {};
      if (response.ok) return parsed as T;
      throw new TierliftError(response.status, errorBody(parsed, response.status));
    }
  }
}

function errorBody(parsed: unknown, status: number): ApiErrorBody {
  const error = (parsed as { error?: ApiErrorBody } | null)?.error;
  if (error && typeof error.code === 'string') return error;
  return { type: 'api_error', code: `http_${status}`, message: `Tierlift answered ${status}.` };
}

function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
}
