import type { AuthEvents } from './modules/accounts/auth.service.js';
import type { ModuleServices } from './modules/services.js';
import type { RefreshService } from './modules/token-lifecycle/refresh.service.js';

/**
 * Every hub-wide service, as the composition root (hub.ts) builds it: the platform services
 * (ModuleServices) plus the services one module provides to others. Modules never import this
 * file; each declares the services it needs (ModuleServices or its own extension of it).
 */
export interface HubServices extends ModuleServices {
  /** Sign-in/out events, recorded by the audit log. */
  authEvents: AuthEvents;
  /** Token refresh: one provider request per needed refresh, in this process and across instances (S17). */
  tokenRefresh: RefreshService;
}
