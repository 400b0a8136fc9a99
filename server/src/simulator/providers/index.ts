/**
 * The simulated providers, in catalog order: each file's entry is everything about one of them
 * (routes, token lifetime, how the hub is pointed at it). Their ids are the catalog's (a test
 * holds the two lists equal), so sandbox mode covers every built-in provider.
 */
import type { SimulatedProvider } from '../context.js';
import { asana } from './asana.js';
import { box } from './box.js';
import { dropbox } from './dropbox.js';
import { google } from './google.js';
import { shopify } from './shopify.js';
import { trello } from './trello.js';
import { zoho } from './zoho.js';

export const SIMULATED_PROVIDERS: readonly SimulatedProvider[] = [google, asana, dropbox, box, trello, shopify, zoho];
