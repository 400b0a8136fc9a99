import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type ProviderId, type RunningSimulator } from '../../simulator/index.js';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { connectThrough, outcomeOf, startFlowHub, storedConnections, type FlowHub } from '../../test/connect-flow.js';
import type { TestClient } from '../../test/test-hub.js';
import { auditOf, uniqueLogin } from '../../test/token-lifecycle.js';

/**
 * Issue 19, point 5: reconnecting the same account revokes, at the provider, the grant the
 * reconnect replaced (after the callback's transaction, best effort, audited as
 * `oauth.grant_replaced`) — except where revoking any token kills the whole grant (Google).
 */

const DISCONNECT = 'mutation($id: ID!) { disconnect(connectionId: $id) { revoked revocationError } }';

describe.each(TEST_DATABASE_KINDS)('S21 reconnect revokes the replaced grant on %s', (kind) => {
  let sim: RunningSimulator;
  let t: FlowHub;
  let client: TestClient;
  let userId: string;
  beforeAll(async () => {
    sim = await startSimulator();
    t = await startFlowHub(kind, sim, { env: { REFRESHER_ENABLED: '0' } });
    client = t.client();
    userId = (await client.signUp()).id;
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });
  beforeEach(() => sim.sim.reset());

  const connectAs = async (provider: ProviderId, login: string) => {
    const { response } = await connectThrough(client, provider, { login });
    expect(outcomeOf(response)).toMatchObject({ status: 'success', provider });
    const rows = (await storedConnections(t, userId)).filter((c) => c.connection.provider === provider);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };
  const revocations = (provider: ProviderId) => sim.sim.requests(provider).filter((r) => r.endpoint === 'revoke');

  it.each(['box', 'asana', 'dropbox'] as const)(
    'S21 %s: reconnecting account X kills the old grant at the provider, the new one works, one row, audited; a later disconnect revokes the newest',
    async (provider) => {
      const login = uniqueLogin(`re-${provider}`);
      const first = await connectAs(provider, login);
      expect(sim.sim.isAccessTokenValid(provider, first.secrets.accessToken)).toBe(true);

      const second = await connectAs(provider, login);
      expect(second.connection.id).toBe(first.connection.id);
      expect(second.secrets.accessToken).not.toBe(first.secrets.accessToken);
      expect(revocations(provider)).toHaveLength(1);
      expect(sim.sim.isRefreshTokenValid(provider, first.secrets.refreshToken!)).toBe(false);
      expect(sim.sim.isAccessTokenValid(provider, first.secrets.accessToken)).toBe(false);
      expect(sim.sim.isAccessTokenValid(provider, second.secrets.accessToken)).toBe(true);
      expect(sim.sim.isRefreshTokenValid(provider, second.secrets.refreshToken!)).toBe(true);
      expect((await auditOf(t, userId, 'oauth.grant_replaced')).filter((e) => e.target_id === first.connection.id)).toEqual([
        { action: 'oauth.grant_replaced', actor_type: 'user', outcome: 'success', reason: 'revoked', provider, target_id: first.connection.id },
      ]);

      const r = await client.gql<{ disconnect: { revoked: boolean; revocationError: string | null } }>(DISCONNECT, { id: second.connection.id });
      expect(r.data).toEqual({ disconnect: { revoked: true, revocationError: null } });
      expect(sim.sim.isAccessTokenValid(provider, second.secrets.accessToken)).toBe(false);
    },
  );

  it('S21 a failed revocation of the replaced grant still reconnects, and is audited as a failure', async () => {
    const login = uniqueLogin('re-box-fail');
    const first = await connectAs('box', login);
    sim.sim.setFault('box', 'revoke', { kind: 'http500', times: 1 });
    const second = await connectAs('box', login);
    expect(sim.sim.isAccessTokenValid('box', second.secrets.accessToken)).toBe(true);
    expect((await auditOf(t, userId, 'oauth.grant_replaced')).filter((e) => e.target_id === first.connection.id).map((e) => [e.outcome, e.reason])).toEqual([['failure', 'provider_unavailable']]);
  });

  it('S22 Google: a reconnect does not revoke the old token (it would revoke the whole grant); the new token still works', async () => {
    const login = uniqueLogin('re-google');
    const first = await connectAs('google', login);
    const second = await connectAs('google', login);
    expect(second.connection.id).toBe(first.connection.id);
    expect(revocations('google')).toEqual([]);
    expect(sim.sim.isAccessTokenValid('google', second.secrets.accessToken)).toBe(true);
    expect(sim.sim.isRefreshTokenValid('google', second.secrets.refreshToken!)).toBe(true);
    expect((await auditOf(t, userId, 'oauth.grant_replaced')).filter((e) => e.target_id === first.connection.id)).toEqual([]);
  });
});
