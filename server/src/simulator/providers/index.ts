/** The seven simulated providers, in catalog order. */
import type { ProviderModule, SimContext } from '../context.js';
import { createAsana } from './asana.js';
import { createBox } from './box.js';
import { createDropbox } from './dropbox.js';
import { createGoogle } from './google.js';
import { createShopify } from './shopify.js';
import { createTrello } from './trello.js';
import { createZoho } from './zoho.js';

export const providerFactories: ReadonlyArray<(ctx: SimContext) => ProviderModule> = [
  createGoogle,
  createAsana,
  createDropbox,
  createBox,
  createTrello,
  createShopify,
  createZoho,
];
