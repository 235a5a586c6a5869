import { type DestinationStream, type Logger, pino } from 'pino';

/**
 * JSON logs on stdout. Request logs carry the path without its query string, and no headers,
 * so a token can never reach a log line by accident.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
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
  };
  // Tests pass a destination to read what was logged; the server writes to stdout.
  return destination ? pino(options, destination) : pino(options);
}
