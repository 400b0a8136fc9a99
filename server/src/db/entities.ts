import { ApiKey } from '../modules/api-keys/api-key.entity.js';
import { AuditEvent } from '../modules/audit/audit-event.entity.js';
import { Connection } from '../modules/connections/connection.entity.js';
import { PendingAuthorization } from '../modules/oauth-flow/pending-authorization.entity.js';
import { AuthThrottle } from '../modules/users/auth-throttle.entity.js';
import { Session } from '../modules/sessions/session.entity.js';
import { User } from '../modules/users/user.entity.js';

/** Every entity, listed explicitly (no folder scanning: it works the same in src and dist). */
export const entities = [User, Session, AuthThrottle, ApiKey, AuditEvent, Connection, PendingAuthorization];
