import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/databases.js';
import { startTcpProxy, type TcpProxy } from '../test/tcp-proxy.js';
import { startTestHub, type TestHub } from '../test/test-hub.js';

/** F02: PostgreSQL goes away while the hub runs, then comes back. */
describe('database outage while running (PostgreSQL)', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let t: TestHub;
  beforeAll(async () => {
    db = await createTestDatabase('postgresql');
    const direct = new URL(db.url!);
    proxy = await startTcpProxy(direct.hostname, Number(direct.port || 5432));
    const viaProxy = new URL(db.url!);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    t = await startTestHub('postgresql', { DATABASE_URL: viaProxy.toString() }, { db });
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await db?.drop();
  });

  it('F02 answers 503 with DATABASE_UNAVAILABLE and /readyz 503 while the database is down, and recovers without a restart', async () => {
    const c = t.client();
    const user = await c.signUp('outage@example.com');

    proxy.cut();
    const me = await c.gql('{ me { email } }');
    expect(me.status).toBe(503);
    expect(me.errors?.[0]).toMatchObject({ extensions: { code: 'DATABASE_UNAVAILABLE' } });
    const signIn = await t.client().gql('mutation($i: SignInInput!) { signIn(input: $i) { id } }', {
      i: { email: user.email, password: user.password },
    });
    expect(signIn.status).toBe(503);
    expect(signIn.errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', database: 'unreachable' });
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);

    proxy.restore();
    // The pool reconnects on demand: the first requests after the outage already succeed.
    let recovered: unknown;
    for (let i = 0; i < 20; i++) {
      const r = await c.gql('{ me { email } }');
      if (r.status === 200) {
        recovered = r.data;
        break;
      }
      await new Promise((res) => setTimeout(res, 250));
    }
    expect(recovered).toEqual({ me: { email: 'outage@example.com' } });
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
  });
});
