import type { EntityManager } from '@mikro-orm/postgresql';
import type { Database } from '../db/orm.js';
import type { Logger } from '../logging/logger.js';
import { ENCRYPTED_COLUMNS, placeOf, type EncryptedColumn } from './encrypted-columns.js';
import { VaultError } from './errors.js';
import type { Vault } from './vault.js';

export interface KeyCount {
  table: string;
  column: string;
  /** The key id a value names, or `(malformed)` for a value that is not a sealed string. */
  keyId: string;
  count: number;
}

export interface UnreadableValue {
  table: string;
  column: string;
  id: string;
  /** Why it failed: UNKNOWN_KEY (its key is not in the ring), DECRYPT_FAILED (altered or moved), MALFORMED. */
  reason: string;
}

export interface RotationReport {
  currentKeyId: string;
  before: KeyCount[];
  after: KeyCount[];
  /** Values moved to the current key by this run. */
  reencrypted: number;
  /** Values that fail to decrypt; left exactly as they were. */
  unreadable: UnreadableValue[];
  /**
   * Readable values still not under the current key when the run ended: rows a writer held
   * locked through every pass. Running the command again picks them up.
   */
  remaining: number;
}

export interface RotateOptions {
  /** Rows per transaction. */
  batchSize?: number;
  /** Passes over each column; a pass after the first only retries rows that were locked. */
  maxPasses?: number;
  /** Pause between passes, giving writers time to release their row locks. */
  passDelayMs?: number;
  /** The columns to rotate; all of them by default (tests narrow it). */
  columns?: readonly EncryptedColumn[];
}

/**
 * Writes a finished run to the audit log. The caller passes it in: the modules import the vault
 * to seal their columns, so the vault does not import a module (the audit log) back.
 */
export type RotationAudit = (db: Database, report: RotationReport) => Promise<void>;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const MALFORMED = '(malformed)';

/**
 * The id of the key the vault encrypts with now. The vault does not expose its keyring, so it
 * is read off a throwaway encryption (whose header names the key).
 */
export function currentKeyIdOf(vault: Vault): string {
  return vault.keyIdOf(vault.encrypt('', { ownerId: '', kind: 'key-id-probe', recordId: '', field: '' }));
}

function quoted(column: EncryptedColumn) {
  for (const name of [column.table, column.idColumn, column.ownerColumn, column.column]) {
    if (!IDENTIFIER.test(name)) throw new Error(`encrypted column registry: ${JSON.stringify(name)} is not a plain identifier`);
  }
  return { table: `"${column.table}"`, id: `"${column.idColumn}"`, owner: `"${column.ownerColumn}"`, value: `"${column.column}"` };
}

/** How many values of each column name each key id. Parses the header in SQL; decrypts nothing. */
export async function countByKeyId(em: EntityManager, columns: readonly EncryptedColumn[] = ENCRYPTED_COLUMNS): Promise<KeyCount[]> {
  const counts: KeyCount[] = [];
  for (const column of columns) {
    const q = quoted(column);
    const rows = await em.execute<Array<{ key_id: string; n: number }>>(
      `select case when split_part(${q.value}, '.', 1) = 'v1' and split_part(${q.value}, '.', 2) ~ '^[0-9a-f]{16}$'
                   then split_part(${q.value}, '.', 2) else '${MALFORMED}' end as key_id,
              count(*)::int as n
         from ${q.table} where ${q.value} is not null group by 1 order by 1`,
    );
    for (const row of rows) counts.push({ table: column.table, column: column.column, keyId: row.key_id, count: Number(row.n) });
  }
  return counts;
}

/**
 * Re-encrypts every sealed value that is not under the vault's current key (S25).
 *
 * Safe while hubs serve requests, and after an interruption:
 * - each batch is its own short transaction that takes its rows with `FOR UPDATE SKIP LOCKED`,
 *   so it never waits on (or blocks for long) a request writing the same row, and two rotations
 *   never work on the same row;
 * - it selects only values whose header does not name the current key, so whatever an earlier
 *   (interrupted) run committed is not touched again, and a second run finds nothing to do;
 * - a value that fails to decrypt is reported by table and id and left exactly as it is.
 * Run it after every hub has been restarted with the new key current and the old one in
 * ENCRYPTION_KEYS_PREVIOUS: a hub still on the old key would keep writing old-key values.
 * (On PGlite there is one connection, so SKIP LOCKED never skips; nothing runs concurrently there.)
 */
export async function rotateKeys(db: Database, vault: Vault, logger: Logger, audit: RotationAudit, options: RotateOptions = {}): Promise<RotationReport> {
  const batchSize = Math.max(1, options.batchSize ?? 200);
  const maxPasses = Math.max(1, options.maxPasses ?? 5);
  const passDelayMs = options.passDelayMs ?? 200;
  const columns = options.columns ?? ENCRYPTED_COLUMNS;
  const currentKeyId = currentKeyIdOf(vault);
  const notCurrent = `v1.${currentKeyId}.%`;
  const em = () => db.orm.em.fork();

  const before = await countByKeyId(em(), columns);
  logger.info({ currentKeyId, before }, 'vault rotation started');
  let reencrypted = 0;
  let remaining = 0;
  const unreadable = new Map<string, UnreadableValue>();

  for (const column of columns) {
    const q = quoted(column);
    for (let pass = 1; pass <= maxPasses; pass++) {
      let lastId: string | null = null;
      for (;;) {
        const params: unknown[] = [notCurrent];
        if (lastId !== null) params.push(lastId);
        params.push(batchSize);
        const result: { rows: number; lastId: string | null; moved: number } = await em().transactional(async (tx) => {
          const rows = await tx.execute<Array<{ id: string; owner_id: string; sealed: string }>>(
            `select ${q.id}::text as id, ${q.owner}::text as owner_id, ${q.value} as sealed
               from ${q.table}
              where ${q.value} is not null and ${q.value} not like ? ${lastId !== null ? `and ${q.id} > ?` : ''}
              order by ${q.id}
              limit ?
              for update skip locked`,
            params,
          );
          let moved = 0;
          for (const row of rows) {
            let next: string;
            try {
              next = vault.reencrypt(row.sealed, placeOf(column, row.owner_id, row.id));
            } catch (err) {
              const reason = err instanceof VaultError ? err.code : 'ERROR';
              const key = `${column.table}.${column.column}#${row.id}`;
              if (!unreadable.has(key)) {
                unreadable.set(key, { table: column.table, column: column.column, id: row.id, reason });
                logger.warn({ table: column.table, column: column.column, id: row.id, reason }, 'vault rotation: value does not decrypt; left untouched');
              }
              continue;
            }
            await tx.execute(`update ${q.table} set ${q.value} = ? where ${q.id} = ?`, [next, row.id]);
            moved++;
          }
          return { rows: rows.length, lastId: rows.at(-1)?.id ?? null, moved };
        });
        reencrypted += result.moved;
        if (result.rows > 0) logger.info({ table: column.table, column: column.column, pass, rows: result.rows, reencrypted: result.moved }, 'vault rotation batch');
        if (result.rows < batchSize || result.lastId === null) break;
        lastId = result.lastId;
      }
      // Rows a request held locked were skipped: look again, a few times, after a pause.
      const left = await stillToRotate(em(), q, notCurrent, column, unreadable);
      if (left === 0 || pass === maxPasses) {
        remaining += left;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, passDelayMs));
    }
  }

  const after = await countByKeyId(em(), columns);
  const report: RotationReport = { currentKeyId, before, after, reencrypted, unreadable: [...unreadable.values()], remaining };
  await audit(db, report);
  logger.info({ currentKeyId, after, reencrypted, unreadable: report.unreadable.length, remaining }, 'vault rotation finished');
  return report;
}

async function stillToRotate(
  em: EntityManager,
  q: ReturnType<typeof quoted>,
  notCurrent: string,
  column: EncryptedColumn,
  unreadable: ReadonlyMap<string, UnreadableValue>,
): Promise<number> {
  const rows = await em.execute<Array<{ id: string }>>(`select ${q.id}::text as id from ${q.table} where ${q.value} is not null and ${q.value} not like ?`, [
    notCurrent,
  ]);
  return rows.filter((r) => !unreadable.has(`${column.table}.${column.column}#${r.id}`)).length;
}

/** The report as the rotate command prints it. */
export function formatRotationReport(report: RotationReport): string {
  const keys = new Map<string, { table: string; column: string; keyId: string; before: number; after: number }>();
  for (const [phase, counts] of [['before', report.before], ['after', report.after]] as const) {
    for (const c of counts) {
      const k = `${c.table}\0${c.column}\0${c.keyId}`;
      const row = keys.get(k) ?? { table: c.table, column: c.column, keyId: c.keyId, before: 0, after: 0 };
      row[phase] = c.count;
      keys.set(k, row);
    }
  }
  const header = ['table', 'column', 'key id', 'before', 'after'];
  const body = [...keys.values()].map((r) => [
    r.table,
    r.column,
    r.keyId === report.currentKeyId ? `${r.keyId} (current)` : r.keyId,
    String(r.before),
    String(r.after),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [`Vault key rotation: current key ${report.currentKeyId}`, ''];
  if (body.length === 0) out.push('No encrypted values stored.');
  else out.push(line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line));
  out.push('', `Re-encrypted ${report.reencrypted} value(s) to the current key.`);
  if (report.unreadable.length > 0) {
    out.push(`${report.unreadable.length} value(s) could not be decrypted and were left untouched:`);
    for (const u of report.unreadable) out.push(`  ${u.table}.${u.column} id=${u.id} (${u.reason})`);
  }
  if (report.remaining > 0) out.push(`${report.remaining} value(s) were busy (locked by a request) and still use an old key: run the command again.`);
  return out.join('\n');
}
