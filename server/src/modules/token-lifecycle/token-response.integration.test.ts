import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { connectThrough, outcomeOf, startFlowHub, storedConnections, type FlowHub } from '../../test/connect-flow.js';
import { past, readConnection, seedConnection, uniqueLogin } from '../../test/token-lifecycle.js';
import { getAccessToken } from './token-access.service.js';

/**
 * Issue 19, points 3 and 4, through the hub: the provider's `expires_in` can neither produce an
 * invalid date (1e300 is clamped to one year) nor a refresh on every read (0 is refused, and
 * the refused refresh backs off). The simulator answers what its access-token lifetime says:
 * 1e300 s for Asana, 0.1 s (`expires_in: 0`) for Box.
 */
describe.each(TEST_DATABASE_KINDS)('token response through the hub on %s', (kind) => {
  let sim: RunningSimulator;
  let t: FlowHub;
  let userId: string;
  beforeAll(async () => {
    sim = await startSimulator({ accessTokenTtlSeconds: { asana: 1e300, box: 0.1 } });
    t = await startFlowHub(kind, sim, { env: { REFRESHER_ENABLED: '0' } });
    userId = (await t.client().signUp()).id;
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });
  beforeEach(() => sim.sim.reset());
  const refreshes = (provider: 'asana' | 'box') => sim.sim.requests(provider).filter((r) => r.endpoint === 'token_refresh').length;

  it('token response: a callback whose answer has expires_in 1e300 connects with the expiry clamped to one year, and reads do not refresh', async () => {
    const client = t.client();
    const me = (await client.signUp()).id;
    const { response } = await connectThrough(client, 'asana', { login: uniqueLogin('asana-huge') });
    expect(response.status).toBe(302);
    expect(outcomeOf(response)).toMatchObject({ status: 'success', provider: 'asana' });
    const [stored] = await storedConnections(t, me);
    expect(stored).toBeDefined();
    const expiresAt = stored!.connection.expiresAt!;
    expect(Number.isFinite(expiresAt.getTime())).toBe(true);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 360 * 86_400_000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 366 * 86_400_000);
    for (let i = 0; i < 5; i++) {
      const got = await getAccessToken(t.hub.services, { userId: me, provider: 'asana', connectionId: stored!.connection.id });
      expect(got.accessToken).toBe(stored!.secrets.accessToken);
    }
    expect(refreshes('asana')).toBe(0);
  });

  it('token response: a callback whose answer has expires_in 0 ends in the failure redirect with nothing stored', async () => {
    const client = t.client();
    const me = (await client.signUp()).id;
    const { response } = await connectThrough(client, 'box', { login: uniqueLogin('box-zero') });
    expect(outcomeOf(response)).toEqual({ status: 'failure', provider: 'box', reason: 'token_exchange_failed' });
    expect(await storedConnections(t, me)).toEqual([]);
  });

  it('F01 token response: 5 token reads of a connection whose provider refreshes with expires_in 0 cause at most 1 refresh', async () => {
    const seeded = await seedConnection(t, sim, 'box', { userId, expiresAt: past() });
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(
        await getAccessToken(t.hub.services, { userId, provider: 'box', connectionId: seeded.id }).then(
          () => 'token',
          (err: unknown) => (err as { code?: string }).code ?? 'error',
        ),
      );
    }
    expect(refreshes('box')).toBe(1);
    // The token had expired and its refresh was refused: no read hands out a dead token, none is a 500.
    expect(outcomes.every((o) => o !== 'token' && o !== 'INTERNAL_SERVER_ERROR')).toBe(true);
    const after = await readConnection(t, seeded.id);
    expect(after?.connection.status).toBe('ACTIVE');
    expect(after?.connection.lastError).toBe('malformed_response');
  });
});
