import { graphql } from '../../gql';

/**
 * The session's GraphQL documents. `me` is the single source of truth for "who is signed
 * in": the app shell gates every route on it, and every auth mutation ends by resetting the
 * Apollo store so that `me` (and nothing from a previous session) is read again.
 */

export const currentUserFragment = graphql(`
  fragment CurrentUser on User {
    id
    email
    createdAt
  }
`);

export const meQuery = graphql(`
  query Me {
    me {
      ...CurrentUser
    }
  }
`);

export const signInMutation = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      ...CurrentUser
    }
  }
`);

export const signUpMutation = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      ...CurrentUser
    }
  }
`);

export const signOutMutation = graphql(`
  mutation SignOut {
    signOut
  }
`);
