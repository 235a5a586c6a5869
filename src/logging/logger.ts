import { type Logger, pino } from 'pino';

/**
 * JSON logs on stdout. Request logs carry the path without its query string, and no headers,
 * so a token can never reach a log line by accident.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['token', '*.token', 'secret', '*.keySecret', 'keySecret', 'req.headers.authorization'],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method?: string; url?: string; ip?: string }) => ({
        method: req.method,
        url: req.url?.split('?')[0],
        remoteAddress: req.ip,
      }),
    },
  });
}
