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
}

export function createAdminApi(key: string, fetchImpl: typeof fetch = window.fetch.bind(window)): AdminApi {
  async function call(path: string, accept: string): Promise<Response> {
    const response = await fetchImpl(path, {
      headers: { Authorization: `Bearer ${key}`, Accept: accept },
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!response.ok) throw await errorOf(response);
    return response;
  }
  return {
    json: async <T>(path: string) => (await call(path, 'application/json')).json() as Promise<T>,
    text: async (path: string) => (await call(path, 'text/plain')).text(),
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
