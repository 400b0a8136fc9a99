import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { startTestHub, type TestClient, type TestHub } from '../../test/test-hub.js';
import { AuditActorType, AuditOutcome } from './audit-event.entity.js';
import { AuditService } from './audit.service.js';

const PAGE = `query($first: Int, $after: String) {
  auditEvents(first: $first, after: $after) {
    edges { cursor node { id action actorType outcome reason provider targetType targetId ip createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const SIGN_IN = 'mutation($input: SignInInput!) { signIn(input: $input) { id } }';

interface Page {
  edges: Array<{ cursor: string; node: { id: string; action: string; actorType: string; outcome: string; reason: string | null; targetId: string | null; ip: string | null; createdAt: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

describe.each(TEST_DATABASE_KINDS)('audit log on %s', (kind) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  const page = async (c: TestClient, variables: { first?: number; after?: string | null } = {}) => {
    const r = await c.gql<{ auditEvents: Page }>(PAGE, variables);
    if (!r.data?.auditEvents) throw new Error(`auditEvents failed: ${r.raw}`);
    return r.data.auditEvents;
  };
  const countRows = async (where = 'true', params: unknown[] = []) =>
    (await t.sql<{ n: number }>(`select count(*)::int as n from audit_events where ${where}`, params))[0]!.n;

  it('S32 sign-up, sign-in, failed sign-in and sign-out each write exactly one event, with no secret', async () => {
    const email = `audited-${Date.now()}@example.com`;
    const password = 'audited password 123';
    const c = t.client();
    let total = await countRows();
    const expectOneMore = async () => {
      const now = await countRows();
      expect(now - total).toBe(1);
      total = now;
    };

    const user = await c.signUp(email, password);
    await expectOneMore();
    await c.gql('mutation { signOut }');
    await expectOneMore();
    await c.gql(SIGN_IN, { input: { email, password } });
    await expectOneMore();
    const wrong = await t.client().gql(SIGN_IN, { input: { email, password: 'wrong password 1234' } });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    await expectOneMore();

    const nobodyBefore = await countRows("user_id is null and action = 'auth.sign_in_failed'");
    const unknown = await t.client().gql(SIGN_IN, { input: { email: `nobody-${Date.now()}@example.com`, password: 'whatever password' } });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    await expectOneMore();
    expect(await countRows("user_id is null and action = 'auth.sign_in_failed'")).toBe(nobodyBefore + 1);

    const mine = await page(c);
    expect(mine.edges.map((e) => [e.node.action, e.node.actorType, e.node.outcome, e.node.reason, e.node.targetId])).toEqual([
      ['auth.sign_in_failed', 'USER', 'FAILURE', 'invalid_credentials', user.id],
      ['auth.sign_in', 'USER', 'SUCCESS', null, user.id],
      ['auth.sign_out', 'USER', 'SUCCESS', null, user.id],
      ['auth.sign_up', 'USER', 'SUCCESS', null, user.id],
    ]);
    for (const e of mine.edges) expect(e.node.ip).toMatch(/127\.0\.0\.1/);
    expect(mine.pageInfo.hasNextPage).toBe(false);

    // Nothing secret, and not even the email typed into a failed sign-in, is stored.
    const everything = JSON.stringify(await t.sql('select * from audit_events'));
    expect(everything).not.toContain(password);
    expect(everything).not.toContain('wrong password 1234');
    expect(everything).not.toContain('nobody-');
    expect(everything).not.toContain(email);
  });

  it('S32 a rate-limited sign-in is recorded as a failure with reason rate_limited', async () => {
    const email = `limited-${Date.now()}@example.com`;
    await t.client().signUp(email, 'limited password 1');
    for (let i = 0; i < 5; i++) await t.client().gql(SIGN_IN, { input: { email, password: `bad password ${i}` } });
    const before = await countRows("reason = 'rate_limited'");
    const r = await t.client().gql(SIGN_IN, { input: { email, password: 'limited password 1' } });
    expect(r.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(await countRows("reason = 'rate_limited'")).toBe(before + 1);
  });

  it('S32 pages through the caller’s own events newest first with an opaque cursor, across equal timestamps', async () => {
    const c = t.client();
    const user = await c.signUp();
    const other = t.client();
    const otherUser = await other.signUp();
    // 110 more events, including 6 that share one timestamp (the id breaks the tie), plus the other user's.
    await t.sql(
      `insert into audit_events (id, user_id, actor_type, action, outcome, created_at)
       select gen_random_uuid(), ?, 'system', 'vault.rotate', 'success',
              case when i <= 6 then timestamptz '2026-01-01 00:00:00.123456+00' else clock_timestamp() - (i * interval '1 millisecond') end
         from generate_series(1, 110) as i`,
      [user.id],
    );
    await new AuditService().record(t.hub.services.db.orm.em.fork(), {
      userId: otherUser.id,
      actorType: AuditActorType.USER,
      action: 'api_key.create',
      outcome: AuditOutcome.SUCCESS,
    });
    const expected = (
      await t.sql<{ id: string }>('select id from audit_events where user_id = ? order by created_at desc, id desc', [user.id])
    ).map((r) => r.id);
    expect(expected).toHaveLength(111);

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const p: Page = await page(c, { first: 7, after });
      pages++;
      expect(p.edges.length).toBeLessThanOrEqual(7);
      seen.push(...p.edges.map((e) => e.node.id));
      expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)?.cursor ?? null);
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(pages).toBe(Math.ceil(111 / 7));
    expect(seen).toEqual(expected);
    const first = await page(c, { first: 1 });
    expect(first.edges.map((e) => e.node.id)).toEqual([expected[0]]);
    expect(first.pageInfo.hasNextPage).toBe(true);

    // The other user's events never show up, whatever the cursor.
    const otherPage = await page(other);
    expect(otherPage.edges.map((e) => e.node.action)).toEqual(['api_key.create', 'auth.sign_up']);
    const ownIds = otherPage.edges.map((e) => e.node.id);
    const withForeignCursor = await page(other, { first: 100, after: (await page(c, { first: 3 })).pageInfo.endCursor });
    for (const e of withForeignCursor.edges) expect(ownIds).toContain(e.node.id);
  });

  it('clamps `first` to 1..100 and rejects a bad cursor with BAD_USER_INPUT', async () => {
    const c = t.client();
    const user = await c.signUp();
    await t.sql(
      `insert into audit_events (id, user_id, actor_type, action, outcome)
       select gen_random_uuid(), ?, 'system', 'vault.rotate', 'success' from generate_series(1, 120)`,
      [user.id],
    );
    expect((await page(c, { first: 0 })).edges).toHaveLength(1);
    expect((await page(c, { first: -3 })).edges).toHaveLength(1);
    expect((await page(c, { first: 1000 })).edges).toHaveLength(100);
    expect((await page(c)).edges).toHaveLength(20);
    for (const after of ['garbage!', 'eyJub3QiOiJhIGN1cnNvciJ9', Buffer.from(JSON.stringify(['2026-99-01T00:00:00.000000Z', user.id])).toString('base64url')]) {
      const r = await c.gql(PAGE, { after });
      expect(r.errors?.[0]).toMatchObject({
        message: 'The cursor is not valid; start again from the first page',
        extensions: { code: 'BAD_USER_INPUT', field: 'after' },
      });
      expect(r.data).toBeNull();
    }
  });

  it('the Vault migration creates exactly what the entities describe', async () => {
    const sql = await t.hub.services.db.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    const mine = sql.split('\n').filter((line) => /audit_events|user_api_keys/.test(line));
    expect(mine).toEqual([]);
  });
});
