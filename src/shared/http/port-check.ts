import net from 'node:net';
import { StartupError } from '../../config/config';

/** The start-up sentence for a listen error, or undefined for an error that is no settings mistake. */
export function listenProblem(error: unknown, http: { host: string; port: number }): StartupError | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  switch (code) {
    case 'EADDRINUSE':
      return new StartupError(
        'PORT',
        `PORT=${http.port}: the port is already in use on ${http.host}; stop the process holding it, or set PORT to a free port.`,
        { cause: error },
      );
    case 'EACCES':
      return new StartupError(
        'PORT',
        `PORT=${http.port}: this user may not bind ports below 1024; set PORT to 1024 or above (and map it in your proxy).`,
        { cause: error },
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new StartupError(
        'HOST',
        `HOST=${http.host}: no network interface of this machine has that address; set HOST to 0.0.0.0 or one of its addresses.`,
        { cause: error },
      );
    default:
      return undefined;
  }
}

/**
 * Binds and releases the HTTP port before anything slow (the database, migrations): a taken port is
 * reported at once, not after migrations ran. NOTE: another process may still take the port before
 * the real listen; that listen reports it with the same sentence.
 */
export async function assertPortFree(http: { host: string; port: number }): Promise<void> {
  if (http.port === 0) return;
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error) => reject(listenProblem(error, http) ?? error));
    probe.listen({ port: http.port, host: http.host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
