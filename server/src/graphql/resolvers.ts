import type { NonEmptyArray } from 'type-graphql';
import { ApiKeyResolver } from '../modules/api-keys/api-key.resolver.js';
import { AuditResolver } from '../modules/audit/audit.resolver.js';
import { IntegrationsResolver } from '../modules/connections/integrations.resolver.js';
import { ConnectResolver } from '../modules/oauth-flow/connect.resolver.js';
import { TokenLifecycleResolver } from '../modules/token-lifecycle/token-lifecycle.resolver.js';
import { AuthResolver } from '../modules/accounts/auth.resolver.js';

/** Every resolver of the API. A module adds its resolver here. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [AuthResolver, ApiKeyResolver, AuditResolver, IntegrationsResolver, ConnectResolver, TokenLifecycleResolver];
