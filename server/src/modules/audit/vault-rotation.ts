import type { Database } from '../../db/orm.js';
import type { RotationAudit } from '../../vault/rotation.js';
import { AuditActorType, AuditOutcome } from './audit-event.entity.js';
import { AuditService } from './audit.service.js';

/**
 * A key rotation run, written to the audit log: a system action on the current key, a failure
 * when values stayed unreadable or busy. Handed to the vault's rotation by whoever starts it.
 */
export const auditVaultRotation: RotationAudit = async (db: Database, report) => {
  await new AuditService().record(db.orm.em.fork(), {
    userId: null,
    actorType: AuditActorType.SYSTEM,
    actorId: null,
    action: 'vault.rotate',
    targetType: 'vault_key',
    targetId: report.currentKeyId,
    outcome: report.unreadable.length === 0 && report.remaining === 0 ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE,
    reason: report.unreadable.length > 0 ? 'unreadable_values' : report.remaining > 0 ? 'incomplete' : null,
  });
};
