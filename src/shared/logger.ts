import winston from 'winston';

export type Logger = winston.Logger;

/** Keys whose values never reach a log line, wherever they appear. */
const SECRET_KEYS = /^(authorization|password|token|secret|api[_-]?key|stripe[_-]?signature|client_secret|cookie)$/i;

const redact = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (SECRET_KEYS.test(key)) (info as Record<string, unknown>)[key] = '[redacted]';
  }
  return info;
});

export function createLogger(options: { level: string; format: 'json' | 'pretty'; silent?: boolean }): Logger {
  const format =
    options.format === 'json'
      ? winston.format.combine(
          redact(),
          winston.format.timestamp(),
          winston.format.errors({ stack: true }),
          winston.format.json(),
        )
      : winston.format.combine(
          redact(),
          winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
          winston.format.errors({ stack: true }),
          winston.format.colorize(),
          winston.format.printf(({ timestamp, level, message, stack, ...rest }) => {
            const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
            return `${String(timestamp)} ${level} ${String(message)}${extra}${stack ? `\n${String(stack)}` : ''}`;
          }),
        );
  return winston.createLogger({
    level: options.level,
    format,
    silent: options.silent,
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn'] })],
  });
}
