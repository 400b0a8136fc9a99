/**
 * An invalid configuration: every problem at once, never with a value (some are secrets).
 * Start-up and the rotate-keys command print it and stop. It lives here, below config/ and
 * providers/, because both throw it and config/ reads the provider catalog.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
