import type { MockLink } from '@apollo/client/testing';
import type { GraphQLFormattedError } from 'graphql';
import { meQuery, signInMutation, signOutMutation, signUpMutation } from '../features/auth/api';
import type { SignInInput, SignUpInput } from '../gql/graphql';

/** Canned GraphQL responses for client tests (mocks need __typename for the cache). */

export const user = {
  __typename: 'User' as const,
  id: 'u_1',
  email: 'ada@example.com',
  createdAt: '2026-11-24T10:00:00.000Z',
};

export const meMock = (me: typeof user | null): MockLink.MockedResponse => ({
  request: { query: meQuery },
  result: { data: { me } },
});

export const graphQLError = (code: string, message: string, field?: string): GraphQLFormattedError => ({
  message,
  extensions: field ? { code, field } : { code },
});

export const signInMock = (
  input: SignInInput,
  outcome: { user: typeof user } | { errors: GraphQLFormattedError[] } | { networkError: Error },
): MockLink.MockedResponse => ({
  request: { query: signInMutation, variables: { input } },
  ...('user' in outcome
    ? { result: { data: { signIn: outcome.user } } }
    : 'errors' in outcome
      ? { result: { errors: outcome.errors } }
      : { error: outcome.networkError }),
});

export const signUpMock = (
  input: SignUpInput,
  outcome: { user: typeof user } | { errors: GraphQLFormattedError[] },
): MockLink.MockedResponse => ({
  request: { query: signUpMutation, variables: { input } },
  result: 'user' in outcome ? { data: { signUp: outcome.user } } : { errors: outcome.errors },
});

export const signOutMock = (): MockLink.MockedResponse => ({
  request: { query: signOutMutation },
  result: { data: { signOut: true } },
});
