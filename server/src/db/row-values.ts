import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Column values of plain rows (plainQuery, em.execute). Both drivers parse timestamptz to Date and
 * json/jsonb to values; text is still accepted (and parsed the ORM's way) so a driver setting
 * that leaves them as text does not break the hot paths that skip hydration.
 */
export function rowValues(em: EntityManager) {
  const platform = em.getPlatform();
  const date = (v: Date | string): Date => (v instanceof Date ? v : (platform.parseDate(v) as Date));
  return {
    date,
    dateOrNull: (v: Date | string | null): Date | null => (v === null ? null : date(v)),
    json: <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v),
  };
}
