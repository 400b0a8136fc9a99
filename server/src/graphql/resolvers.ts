import type { NonEmptyArray } from 'type-graphql';
import { AuthResolver } from '../modules/users/auth.resolver.js';

/** Every resolver of the API. A module adds its resolver here. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [AuthResolver];
