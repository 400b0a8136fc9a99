/**
 * GraphiQL's fetcher: POST to the same-origin `/graphql` with the session cookie. The server
 * runs Apollo's CSRF prevention; `content-type: application/json` already satisfies it and
 * `apollo-require-preflight` makes that explicit. Headers typed into GraphiQL's header
 * editor are sent too (and may override these).
 */
import { GraphQLError, type ExecutionResult } from 'graphql';

export interface GraphQLRequestBody {
  query: string;
  operationName?: string | null;
  variables?: unknown;
}

export async function fetchGraphQL(
  body: GraphQLRequestBody,
  extraHeaders: Record<string, unknown> = {},
): Promise<ExecutionResult> {
  const headers: Record<string, string> = {
    accept: 'application/graphql-response+json, application/json',
    'content-type': 'application/json',
    'apollo-require-preflight': 'true',
  };
  for (const [name, value] of Object.entries(extraHeaders)) {
    if (value !== undefined && value !== null) headers[name] = String(value);
  }
  const response = await fetch('/graphql', {
    method: 'POST',
    credentials: 'include',
    headers,
    body: JSON.stringify(body),
  });
  const text = await response.text();
  try {
    // GraphiQL only reads `message`, `locations` and `path` of each error: plain JSON is fine.
    return JSON.parse(text) as ExecutionResult;
  } catch {
    // Not GraphQL (a proxy error page, a plain-text CSRF rejection…): show it as an error
    // in the response pane rather than failing silently.
    return { errors: [new GraphQLError(`HTTP ${response.status}: ${text.slice(0, 500)}`)] };
  }
}
