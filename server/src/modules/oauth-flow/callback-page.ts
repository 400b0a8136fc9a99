const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** A plain page for a callback the hub refuses: what happened, and the way back. No script, nothing from the request. */
export function renderCallbackPage(input: { title: string; message: string; dashboardUrl: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(input.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222;line-height:1.5}a{color:#0b5cad}</style>
</head><body><main>
<h1>${escape(input.title)}</h1>
<p id="message">${escape(input.message)}</p>
<p><a id="back" href="${escape(input.dashboardUrl)}">Back to your integrations</a></p>
</main></body></html>`;
}

/** Headers of every callback answer: the URL carries a code and state, so it must leak nowhere (S13). */
export const CALLBACK_HEADERS = {
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
} as const;
