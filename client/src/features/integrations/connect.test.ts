import { describe, expect, it } from 'vitest';
import type { ReadError } from '../../lib/graphql-errors';
import { placeConnectError } from './connect';
import { leaveForProvider } from './redirect';
import { credentialVariables } from './status';

const error = (code: ReadError['code'], message: string, field?: string): ReadError => ({ code, message, field });

describe('placeConnectError', () => {
  it('maps each connect error to its copy and place', () => {
    expect(placeConnectError(error('PROVIDER_NOT_CONFIGURED', 'Set BOX_CLIENT_ID and BOX_CLIENT_SECRET to connect Box'), 'Box')).toEqual({
      message: 'Set BOX_CLIENT_ID and BOX_CLIENT_SECRET to connect Box',
      refetch: true,
    });
    expect(placeConnectError(error('UNKNOWN_PROVIDER', 'There is no such provider', 'provider'), 'Box')).toEqual({
      message: 'Box is no longer available on this hub.',
      refetch: true,
    });
    expect(placeConnectError(error('BAD_USER_INPUT', 'Enter your shop domain', 'shop'), 'Shopify')).toEqual({
      field: 'shop',
      message: 'Enter your shop domain',
    });
    expect(placeConnectError(error('BAD_USER_INPUT', 'returnTo is too long', 'returnTo'), 'Shopify')).toEqual({ message: 'returnTo is too long' });
    expect(placeConnectError(error('PROVIDER_UNAVAILABLE', 'x'), 'Trello')).toEqual({ message: 'Trello cannot be reached right now; try again later.' });
    expect(placeConnectError(error('NETWORK', 'Failed to fetch'), 'Box').message).toBe(
      'Could not reach the server. Check your connection and try again.',
    );
  });
});

describe('leaveForProvider', () => {
  it.each(['javascript:alert(1)', 'data:text/html,hi', 'http://[bad'])('refuses %j', (url) => {
    expect(leaveForProvider(url)).toBe(false);
  });
});

describe('credentialVariables', () => {
  it('follows the server’s <ID>_CLIENT_ID / <ID>_CLIENT_SECRET convention', () => {
    expect(credentialVariables('google')).toEqual(['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET']);
    expect(credentialVariables('zoho')).toEqual(['ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET']);
  });
});
