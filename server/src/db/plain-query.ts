import type { EntityManager } from '@mikro-orm/postgresql';

/** What the pool hands out: a `pg.Client` on PostgreSQL, the PGlite instance on PGlite. */
interface PooledConnection {
  query(sql: string, params: readonly unknown[]): Promise<{ rows: unknown[] }>;
}

interface KnexPool {
  acquireConnection(): Promise<PooledConnection>;
  releaseConnection(connection: PooledConnection): Promise<unknown>;
}

const positional = new Map<string, string>();

/** `?` placeholders (as em.execute takes them) → `$1…$n` (as the drivers take them); cached per statement. */
function toPositional(sql: string): string {
  let text = positional.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    positional.set(sql, text);
  }
  return text;
}

/**
 * One plain statement with `?` placeholders, straight on a connection of the ORM's own pool
 * (the same pool limit, the same PGlite single connection), returning its rows.
 *
 * For statements on the hot paths only — the session lookup, the dashboard's connection list, the
 * token route's read and its audit row — which benchmarks B1/B2 run thousands of times a second:
 * em.execute builds each statement through knex (bindings, formatting, query events), which
 * profiles showed costing more than the statement itself. Inside a transaction the statement runs
 * on the transaction's connection through em.execute, so it commits or rolls back with it.
 *
 * Statements must not contain a literal `?` (no jsonb `?` operators, no `?` in string literals).
 */
export async function plainQuery<T>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  if (em.isInTransaction()) return em.execute<T[]>(sql, [...params]);
  const pool = em.getConnection().getKnex().client as unknown as KnexPool;
  const connection = await pool.acquireConnection();
  try {
    return (await connection.query(toPositional(sql), params)).rows as T[];
  } finally {
    await pool.releaseConnection(connection);
  }
}
