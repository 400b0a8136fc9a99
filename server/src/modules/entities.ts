import { ApiKey } from './api-keys/api-key.entity.js';
import { AuditEvent } from './audit/audit-event.entity.js';
import { Connection } from './connections/connection.entity.js';
import { PendingAuthorization } from './oauth-flow/pending-authorization.entity.js';
import { AuthThrottle } from './accounts/auth-throttle.entity.js';
import { Session } from './accounts/session.entity.js';
import { User } from './accounts/user.entity.js';

/**
 * Every entity, listed explicitly (no folder scanning: it works the same in src and dist).
 * The composition root hands the list to openDatabase(): db/ sits below the modules and does not
 * import them.
 */
export const entities = [User, Session, AuthThrottle, ApiKey, AuditEvent, Connection, PendingAuthorization];
