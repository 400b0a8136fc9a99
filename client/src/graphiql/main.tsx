// Monaco's editor, JSON and GraphQL workers, bundled by Vite as local worker chunks. Never
// the CDN variant: the playground must work offline on a self-hosted hub.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './graphiql.css';

import { GraphiQL } from 'graphiql';
import { StrictMode, type ComponentProps } from 'react';
import { createRoot } from 'react-dom/client';
import { fetchGraphQL } from './fetcher';

type Fetcher = ComponentProps<typeof GraphiQL>['fetcher'];

const fetcher: Fetcher = (params, options) => fetchGraphQL(params, options?.headers);

const DEFAULT_QUERY = `# Integration Hub GraphQL API.
# Runs as the signed-in dashboard user.
# Run: Ctrl/Cmd+Enter.

query Me {
  me {
    id
    email
    createdAt
  }
}
`;

const container = document.getElementById('graphiql');
if (!container) throw new Error('graphiql.html must contain <div id="graphiql">');

createRoot(container).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY}>
      <GraphiQL.Logo>
        <a className="graphiql-hub-logo" href="/" title="Back to the dashboard">
          Integration Hub
        </a>
      </GraphiQL.Logo>
    </GraphiQL>
  </StrictMode>,
);
