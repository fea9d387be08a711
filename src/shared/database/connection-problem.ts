import { StartupError } from '../../config/config';
import { isDatabaseUnavailable } from './database-errors';

/** The URL as it may be printed: no password. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparseable URL)';
  }
}

const codeOf = (error: unknown) => {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * Why the first connection to DATABASE_URL failed, as one sentence naming DATABASE_URL and the fix
 * (the driver's own words name neither: "connect ECONNREFUSED 127.0.0.1:5432").
 */
export function connectionProblem(error: unknown, url: string): StartupError {
  const where = redactedUrl(url);
  const code = codeOf(error);
  const database = (() => {
    try {
      return decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
    } catch {
      return 'postgres';
    }
  })();
  let message: string;
  if (code === '28P01' || code === '28000') {
    message = `DATABASE_URL: PostgreSQL at ${where} refused its user or password; put the right credentials in DATABASE_URL.`;
  } else if (code === '3D000') {
    message = `DATABASE_URL: the database "${database}" does not exist at ${where}; create it (CREATE DATABASE) or name an existing one in DATABASE_URL.`;
  } else if (isDatabaseUnavailable(error)) {
    message = `DATABASE_URL: no PostgreSQL answers at ${where} (${code ?? 'no answer'}); start it there, or point DATABASE_URL at a running server.`;
  } else {
    const said = error instanceof Error ? error.message : String(error);
    message = `DATABASE_URL: connecting to ${where} failed (${said}); check the host, port, database and credentials in DATABASE_URL.`;
  }
  return new StartupError('DATABASE_URL', message, { cause: error });
}
