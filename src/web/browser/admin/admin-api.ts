/** The admin API as the dashboard calls it: every request carries the operator's key as a bearer token. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** 401 (no or wrong key) and 403 (a valid key of another kind) mean the sign-in failed. */
  get isCredentialProblem(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

export interface AdminApi {
  json<T>(path: string): Promise<T>;
  text(path: string): Promise<string>;
  /** A JSON read that answers null on 404 (a route this service does not have yet). */
  optional<T>(path: string): Promise<T | null>;
  /** An action: JSON body, a fresh Idempotency-Key; the answer's JSON (null for 204). */
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** Fetches `path` as CSV (with the key) and hands it to the browser as a file download. */
  download(path: string, filename: string): Promise<string>;
}

export function createAdminApi(key: string, fetchImpl: typeof fetch = window.fetch.bind(window)): AdminApi {
  async function call(path: string, accept: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetchImpl(path, {
      ...init,
      headers: { Authorization: `Bearer ${key}`, Accept: accept, ...(init.headers as Record<string, string>) },
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!response.ok) throw await errorOf(response);
    return response;
  }
  return {
    json: async <T>(path: string) => (await call(path, 'application/json')).json() as Promise<T>,
    text: async (path: string) => (await call(path, 'text/plain')).text(),
    optional: async <T>(path: string) => {
      try {
        return (await (await call(path, 'application/json')).json()) as T;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    send: async <T>(method: string, path: string, body?: unknown) => {
      const response = await call(path, 'application/json', {
        method,
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify(body ?? {}),
      });
      return (response.status === 204 ? null : await response.json()) as T;
    },
    download: async (path: string, filename: string) => {
      const csv = await (await call(path, 'text/csv')).text();
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      return csv;
    },
  };
}

async function errorOf(response: Response): Promise<ApiError> {
  let message = `${response.status} ${response.statusText}`.trim();
  let code: string | null = null;
  try {
    const body = (await response.json()) as { error?: { message?: string; code?: string } };
    if (body.error?.message) message = body.error.message;
    code = body.error?.code ?? null;
  } catch {
    // Not a JSON error body (a proxy's page, say): the status line says enough.
  }
  return new ApiError(response.status, message, code);
}
