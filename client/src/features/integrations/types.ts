import type { ConnectionFieldsFragment, IntegrationFieldsFragment } from '../../gql/graphql';

/** What the Integrations components render: the fragments of api.ts, under the names the UI uses. */
export type IntegrationView = IntegrationFieldsFragment;
export type ConnectionView = ConnectionFieldsFragment;
