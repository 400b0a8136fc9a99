import type { HookName, ProviderDefinition } from '../types.js';
import type { ProviderHook } from './hook.js';
import { shopifyHook } from './shopify.js';
import { trelloHook } from './trello.js';
import { zohoHook } from './zoho.js';

export type { ProviderHook, CallbackCheck, CallbackContext, ConnectInput, AuthorizationFlow, HookFailureReason } from './hook.js';

/** Every hook a provider may name. */
export const HOOKS: Readonly<Record<HookName, ProviderHook>> = {
  shopify: shopifyHook,
  zoho: zohoHook,
  trello: trelloHook,
};

/** The hook a provider names, if any: the one way the rest of the hub reaches provider code. */
export function hookOf(definition: Pick<ProviderDefinition, 'hook'>): ProviderHook | undefined {
  return definition.hook === undefined ? undefined : HOOKS[definition.hook];
}
