import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../test/log-capture.js';
import { HubRequestState } from './request-context.js';

const parse = (line: string) => JSON.parse(line) as Record<string, unknown>;

describe('HubRequestState', () => {
  it('logs with the request id, and with the user bound before or after the logger was first used', () => {
    const { logger, lines } = captureLogger('debug');
    const early = new HubRequestState('req-early-1', logger, {});
    early.bindLog({ userId: 'u-1' });
    early.log.info('one');
    const late = new HubRequestState('req-late-22', logger, {});
    late.log.info('before');
    late.bindLog({ userId: 'u-2' });
    late.log.info('after');
    expect(lines.map(parse).map((l) => [l.msg, l.reqId, l.userId])).toEqual([
      ['one', 'req-early-1', 'u-1'],
      ['before', 'req-late-22', undefined],
      ['after', 'req-late-22', 'u-2'],
    ]);
  });

  it('says whether a level is written, so callers can skip building lines', () => {
    const { logger, lines } = captureLogger('warn');
    const state = new HubRequestState('req-levels', logger, {});
    expect([state.logs('debug'), state.logs('info'), state.logs('warn'), state.logs('error')]).toEqual([false, false, true, true]);
    expect(lines).toEqual([]);
  });

  it('forks the EntityManager on first use only, once per request, and never without a root', () => {
    const { logger } = captureLogger('warn');
    let forks = 0;
    const root = { fork: () => ({ n: ++forks }) } as unknown as EntityManager;
    const state = new HubRequestState('req-em', logger, {});
    expect(state.em).toBeUndefined();
    state.useEntityManager(root);
    expect(forks).toBe(0);
    const first = state.em;
    expect(state.em).toBe(first);
    expect(forks).toBe(1);
  });
});
