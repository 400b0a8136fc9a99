/**
 * Helpers for the sign-in throttle tests.
 */

export interface GqlAnswer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/**
 * One GraphQL request from a chosen client address: the hub under test trusts one proxy hop
 * (TRUST_PROXY=1), so the address is the one this "proxy" puts in X-Forwarded-For.
 */
export async function gqlFrom(baseUrl: string, ip: string, query: string, variables: Record<string, unknown>, cookie?: string): Promise<GqlAnswer> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlAnswer;
}

/** How many answers carried each outcome: the code of the first error, or `ok`. */
export function tally(results: GqlAnswer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const code = r.errors?.length ? String(r.errors[0]!.extensions?.code) : 'ok';
    out[code] = (out[code] ?? 0) + 1;
  }
  return out;
}

export const SIGN_IN = 'mutation($input: SignInInput!) { signIn(input: $input) { id email } }';
export const SIGN_UP = 'mutation($input: SignUpInput!) { signUp(input: $input) { id email } }';
