import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { clampPageSize, decodeAuditCursor, encodeAuditCursor } from './audit.service.js';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

function badCursor(cursor: string) {
  try {
    decodeAuditCursor(cursor);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    return true;
  }
  return false;
}

describe('audit cursor', () => {
  it('round-trips microsecond times and ids', () => {
    const cursor = encodeAuditCursor('2026-11-24T01:02:03.456789Z', ID);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeAuditCursor(cursor)).toEqual({ createdAt: '2026-11-24T01:02:03.456789Z', id: ID });
    expect(decodeAuditCursor(encodeAuditCursor('2026-11-24T01:02:03.456789Z', ID.toUpperCase())).id).toBe(ID);
  });

  it('rejects anything it did not produce with BAD_USER_INPUT on `after`', () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const bad of [
      '',
      'not base64!',
      'x'.repeat(201),
      enc({ createdAt: '2026-11-24T01:02:03.456789Z', id: ID }),
      enc(['2026-11-24T01:02:03.456789Z']),
      enc(['2026-11-24T01:02:03.456789Z', 'nope']),
      enc(['2026-11-24 01:02:03', ID]),
      enc(['2026-13-24T01:02:03.456789Z', ID]),
      enc(['2026-02-30T01:02:03.456789Z', ID]),
      enc(["2026-11-24T01:02:03.456789Z'); drop table users; --", ID]),
      enc([1, ID]),
      Buffer.from('{not json').toString('base64url'),
    ]) {
      expect(badCursor(bad), bad).toBe(true);
    }
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
      // Random text never gets past decoding unless it is a real cursor.
      try {
        const { createdAt, id } = decodeAuditCursor(s);
        expect(createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
        expect(id).toMatch(/^[0-9a-f-]{36}$/);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
      }
    }));
  });

  it('clamps page sizes to 1..100 with 20 by default', () => {
    expect([clampPageSize(undefined), clampPageSize(null), clampPageSize(0), clampPageSize(-5), clampPageSize(1), clampPageSize(100), clampPageSize(101), clampPageSize(1e9)]).toEqual([
      20, 20, 1, 1, 1, 100, 100, 100,
    ]);
  });
});
