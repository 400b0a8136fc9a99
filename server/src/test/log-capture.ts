import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../logging/logger.js';

/** A real logger whose every line is kept, so tests can scan the output for secrets (S14). */
export function captureLogger(level = 'debug'): { logger: Logger; lines: string[]; text(): string } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  return { logger: createLogger({ level, pretty: false, destination }), lines, text: () => lines.join('\n') };
}
