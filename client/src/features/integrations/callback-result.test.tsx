// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallbackFailureReason } from '../../gql/error-codes';
import { callbackMessage, parseCallbackResult, useCallbackResult, withoutCallbackParams } from './callback-result';

describe('parseCallbackResult', () => {
  it('reads success and failure results', () => {
    expect(parseCallbackResult('?status=success&provider=google')).toEqual({ status: 'success', provider: 'google', reason: null });
    expect(parseCallbackResult('?status=failure&provider=shopify&reason=invalid_hmac')).toEqual({
      status: 'failure',
      provider: 'shopify',
      reason: 'invalid_hmac',
    });
    expect(parseCallbackResult('?status=failure&provider=box')).toEqual({ status: 'failure', provider: 'box', reason: null });
    // A reason on a success is meaningless and dropped.
    expect(parseCallbackResult('?status=success&provider=box&reason=expired')?.reason).toBeNull();
  });

  it.each(['', '?provider=google', '?status=ok&provider=google', '?status=success', '?status=success&provider=<script>', '?status=success&provider=Google%20Drive'])(
    'ignores %j',
    (search) => {
      expect(parseCallbackResult(search)).toBeNull();
    },
  );

  it('drops a malformed reason instead of echoing it', () => {
    expect(parseCallbackResult('?status=failure&provider=google&reason=%3Cb%3Ehi%3C%2Fb%3E')?.reason).toBeNull();
  });

  it('keeps only reasons from the server’s list (an unknown one reads as no reason: the generic message)', () => {
    expect(parseCallbackResult('?status=failure&provider=google&reason=something_new')).toEqual({ status: 'failure', provider: 'google', reason: null });
    expect(parseCallbackResult('?status=failure&provider=google&reason=expired')?.reason).toBe('expired');
  });
});

describe('withoutCallbackParams', () => {
  it('removes only status, provider and reason', () => {
    expect(withoutCallbackParams('http://hub.test/integrations?status=success&provider=google')).toBe('/integrations');
    expect(withoutCallbackParams('http://hub.test/integrations?tab=x&status=failure&provider=box&reason=expired#top')).toBe(
      '/integrations?tab=x#top',
    );
  });
});

describe('callbackMessage', () => {
  const failure = (reason: CallbackFailureReason | null) => callbackMessage({ status: 'failure', provider: 'google', reason }, 'Google Drive');

  it('announces a success', () => {
    expect(callbackMessage({ status: 'success', provider: 'google', reason: null }, 'Google Drive')).toEqual({
      tone: 'success',
      title: 'Connected Google Drive',
      text: 'Your Google Drive account is connected and ready to use.',
    });
  });

  it.each<[CallbackFailureReason | null, string]>([
    ['access_denied', 'You declined access at Google Drive.'],
    ['expired', 'The connection attempt expired; try again.'],
    ['invalid_state', 'This connection link is no longer valid; start again.'],
    ['token_exchange_failed', 'Google Drive had a problem; try again later.'],
    ['provider_error', 'Google Drive had a problem; try again later.'],
    ['identity_failed', 'Google Drive did not tell us which account you connected; try again later.'],
    ['invalid_hmac', 'The answer from Google Drive could not be verified; start again.'],
    ['invalid_shop', 'The answer named a different or invalid shop; start again and check the shop domain.'],
    ['untrusted_accounts_server', 'The answer came from a Google Drive data centre this hub does not trust; ask your administrator.'],
    ['invalid_issuer', 'The answer came from a different server than the one the connection started with; start again.'],
    [null, 'Something went wrong while connecting; try again.'],
  ])('explains %s', (reason, text) => {
    expect(failure(reason)).toEqual({ tone: 'error', title: 'Could not connect Google Drive', text });
  });
});

function ShowResult() {
  const [result] = useCallbackResult();
  return <p data-testid="result">{result ? `${result.status}:${result.provider}:${result.reason ?? ''}` : 'none'}</p>;
}

afterEach(cleanup);

describe('useCallbackResult', () => {
  it('reads the parameters once, under StrictMode too, and removes them from the URL', () => {
    window.history.replaceState({ keep: 1 }, '', '/integrations?status=failure&provider=google&reason=expired&other=1#x');
    const length = window.history.length;
    render(
      <StrictMode>
        <ShowResult />
      </StrictMode>,
    );
    expect(screen.getByTestId('result').textContent).toBe('failure:google:expired');
    expect(window.location.pathname + window.location.search + window.location.hash).toBe('/integrations?other=1#x');
    expect(window.history.length).toBe(length);
    expect(window.history.state).toEqual({ keep: 1 });

    // Mounting again (leaving the page and coming back) shows nothing.
    cleanup();
    render(<ShowResult />);
    expect(screen.getByTestId('result').textContent).toBe('none');
  });

  it('leaves a URL without callback parameters alone', () => {
    window.history.replaceState(null, '', '/integrations?tab=x');
    render(<ShowResult />);
    expect(screen.getByTestId('result').textContent).toBe('none');
    expect(window.location.search).toBe('?tab=x');
  });
});
