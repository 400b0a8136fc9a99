import type { Database } from '../../db/orm.js';
import type { AuthEvents } from '../accounts/auth.service.js';
import { AuditActorType, AuditOutcome } from './audit-event.entity.js';
import type { AuditService } from './audit.service.js';

/**
 * Sign-up, sign-in, failed sign-in and sign-out, written to the audit log (S32).
 * A failed sign-in carries the user id only when the email belongs to an account, so the owner
 * sees attempts on their account; the email itself is never stored (it may be a mistyped password).
 * Each event is its own write: the auth flow has no transaction to join.
 */
export function auditAuthEvents(db: Database, audit: AuditService): AuthEvents {
  const em = () => db.orm.em.fork();
  return {
    async signedUp(user, meta) {
      await audit.record(em(), {
        userId: user.id,
        actorType: AuditActorType.USER,
        actorId: user.id,
        action: 'auth.sign_up',
        targetType: 'user',
        targetId: user.id,
        outcome: AuditOutcome.SUCCESS,
        ip: meta.ip ?? null,
      });
    },
    async signedIn(user, meta) {
      await audit.record(em(), {
        userId: user.id,
        actorType: AuditActorType.USER,
        actorId: user.id,
        action: 'auth.sign_in',
        targetType: 'user',
        targetId: user.id,
        outcome: AuditOutcome.SUCCESS,
        ip: meta.ip ?? null,
      });
    },
    async signInFailed(_email, user, meta, reason) {
      await audit.record(em(), {
        userId: user?.id ?? null,
        actorType: AuditActorType.USER,
        actorId: null,
        action: 'auth.sign_in_failed',
        targetType: user ? 'user' : null,
        targetId: user?.id ?? null,
        outcome: AuditOutcome.FAILURE,
        reason,
        ip: meta.ip ?? null,
      });
    },
    async signedOut(user, meta) {
      await audit.record(em(), {
        userId: user.id,
        actorType: AuditActorType.USER,
        actorId: user.id,
        action: 'auth.sign_out',
        targetType: 'user',
        targetId: user.id,
        outcome: AuditOutcome.SUCCESS,
        ip: meta.ip ?? null,
      });
    },
  };
}
