export interface RequestLogEntry {
  method: string;
  path: string;
  params: Record<string, unknown>;
  idempotencyKey: string | null;
  /** What the client received; null when the connection was dropped. */
  status: number | null;
  at: number;
  requestId: string;
  fault: string | null;
}

export interface RequestLogFilter {
  method?: string;
  /** Exact path, or a prefix ending in '*'. */
  path?: string;
}

export function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}

/** Every API request the emulator answered, oldest first, for tests to assert what was sent. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.entries.filter(
      (entry) =>
        (!filter.method || entry.method === filter.method.toUpperCase()) &&
        (!filter.path || pathMatches(filter.path, entry.path)),
    );
  }

  clear(): void {
    this.entries = [];
  }
}
