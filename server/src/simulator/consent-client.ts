/**
 * simulateConsent(): what a user's browser does on the consent screen, for tests without a
 * browser. GET the authorization URL, fill the form (login, data centre), press Allow or Deny,
 * and return where the provider redirects (the hub's callback URL).
 */

export interface SimulateConsentOptions {
  login?: string;
  decision?: 'allow' | 'deny';
  /** Zoho: the data centre the user's account lives in (default: the one of the URL). */
  dataCenter?: string;
}

function unescapeHtml(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z_:-]+)(?:="([^"]*)")?/g)) out[m[1]!.toLowerCase()] = unescapeHtml(m[2] ?? '');
  return out;
}

interface ConsentForm {
  action: string;
  hidden: Array<[string, string]>;
  login: string | undefined;
  dataCenters: string[] | undefined;
  selectedDataCenter: string | undefined;
}

/** Parses the simulator's own consent page (not arbitrary HTML). */
export function parseConsentForm(html: string): ConsentForm {
  const formTag = /<form\b[^>]*id="consent"[^>]*>/.exec(html)?.[0];
  if (!formTag) throw new Error('simulateConsent: no consent form on the page');
  const hidden: Array<[string, string]> = [];
  let login: string | undefined;
  for (const m of html.matchAll(/<input\b[^>]*>/g)) {
    const a = attributes(m[0]);
    if (a.type === 'hidden' && a.name) hidden.push([a.name, a.value ?? '']);
    if (a.id === 'login') login = a.value;
  }
  const select = /<select\b[^>]*id="dc"[^>]*>([\s\S]*?)<\/select>/.exec(html);
  let dataCenters: string[] | undefined;
  let selectedDataCenter: string | undefined;
  if (select) {
    dataCenters = [];
    for (const m of select[1]!.matchAll(/<option\b[^>]*>/g)) {
      const a = attributes(m[0]);
      dataCenters.push(a.value ?? '');
      if ('selected' in a) selectedDataCenter = a.value;
    }
  }
  return { action: attributes(formTag).action ?? '', hidden, login, dataCenters, selectedDataCenter };
}

async function failure(what: string, res: Response): Promise<Error> {
  const text = await res.text().catch(() => '');
  return new Error(`simulateConsent: ${what} answered ${res.status}: ${text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300)}`);
}

export async function simulateConsent(authorizationUrl: string, opts: SimulateConsentOptions = {}): Promise<string> {
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  // The provider may redirect at once (an error sent back to the client, e.g. invalid_scope).
  if (page.status >= 300 && page.status < 400) {
    const location = page.headers.get('location');
    if (!location) throw new Error('simulateConsent: redirect without Location');
    return new URL(location, authorizationUrl).toString();
  }
  if (page.status !== 200) throw await failure('the authorization page', page);
  const form = parseConsentForm(await page.text());

  const fields = new URLSearchParams(form.hidden);
  fields.set('login', opts.login ?? form.login ?? '');
  if (form.dataCenters) {
    const dc = opts.dataCenter ?? form.selectedDataCenter ?? '';
    if (!form.dataCenters.includes(dc)) throw new Error(`simulateConsent: data centre ${dc} is not offered (${form.dataCenters.join(', ')})`);
    fields.set('dc', dc);
  } else if (opts.dataCenter !== undefined) {
    throw new Error('simulateConsent: this consent page has no data-centre choice');
  }
  fields.set('decision', opts.decision ?? 'allow');

  const actionUrl = new URL(form.action, authorizationUrl);
  const res = await fetch(actionUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  const location = res.headers.get('location');
  if (res.status < 300 || res.status >= 400 || !location) throw await failure('the consent form', res);
  return new URL(location, actionUrl).toString();
}
