import { pino, type DestinationStream, type Logger } from 'pino';
import { redactDeep } from './redact.js';

export type { Logger };

export interface LoggerOptions {
  level: string;
  pretty: boolean;
  /** Tests pass a stream to capture every line and scan it for secrets. */
  destination?: DestinationStream;
}

/**
 * JSON lines in production, readable lines in development. Every object logged goes through
 * `redactDeep`, so a field named like a token, secret, key, code or cookie never reaches
 * the output, whatever the caller passed.
 */
export function createLogger(options: LoggerOptions): Logger {
  return redactChildBindings(createPino(options));
}

/**
 * pino serialises child() bindings once, without `formatters.log` (and resets the bindings
 * formatter for children), so bindings are redacted here. Children inherit this `child`.
 */
function redactChildBindings(logger: Logger): Logger {
  const pinoChild = logger.child;
  logger.child = function child(this: Logger, bindings, childOptions) {
    return pinoChild.call(this, redactDeep(bindings) as typeof bindings, childOptions);
  } as Logger['child'];
  return logger;
}

function createPino(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    base: { service: 'oauth-hub' },
    formatters: {
      log: (obj: Record<string, unknown>) => redactDeep(obj) as Record<string, unknown>,
    },
    serializers: { err: (e: unknown) => redactDeep(e) },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' } },
    });
  }
  return pino(base);
}
