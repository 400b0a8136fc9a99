import { graphql } from '../../gql';

/** The audit log, newest first, a page at a time (cursor pagination). */

export const auditEventFieldsFragment = graphql(`
  fragment AuditEventFields on AuditEvent {
    id
    action
    actorType
    outcome
    reason
    provider
    providerName
    targetType
    targetId
    ip
    createdAt
  }
`);

export const auditEventsQuery = graphql(`
  query AuditEvents($first: Int!, $after: String) {
    auditEvents(first: $first, after: $after) {
      edges {
        cursor
        node {
          ...AuditEventFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
