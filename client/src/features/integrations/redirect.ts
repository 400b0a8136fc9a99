/**
 * Leaves the dashboard for the provider's consent page (a full navigation: the provider
 * redirects back to the hub's callback). Its own module so tests can replace it.
 * Only http(s) URLs are followed: the URL comes from our server, but a `javascript:` URL must
 * never reach location.assign whatever happens upstream.
 */
export function leaveForProvider(authorizationUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(authorizationUrl, window.location.href);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  window.location.assign(url.href);
  return true;
}
