import { Arg, Authorized, Ctx, Field, ID, Mutation, ObjectType, Resolver } from 'type-graphql';
import { currentUser, type GraphQLContext } from '../accounts/context.js';
import { AuditActorType } from '../audit/audit-event.entity.js';
import { testConnection } from './connection-test.service.js';
import { disconnectConnection } from './disconnect.service.js';
import type { LifecycleActor, LifecycleServices } from './refresh.service.js';

@ObjectType('DisconnectResult', { description: 'The connection is deleted either way; this says whether the provider confirmed the revocation.' })
export class DisconnectResultType {
  @Field(() => Boolean, { description: 'The provider revoked the tokens (or they were already invalid).' })
  revoked!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the provider did not confirm: provider_unavailable, timeout, malformed_response, revocation_rejected, not_supported, not_configured, unreadable, invalid_metadata, refresh_failed, no_token.',
  })
  revocationError!: string | null;
}

@ObjectType('ConnectionTestResult', { description: 'The outcome of calling the provider with the stored token.' })
export class ConnectionTestResultType {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => String, { nullable: true, description: 'The account the provider answered for.' })
  accountId!: string | null;

  @Field(() => String, { description: 'What happened, for people.' })
  message!: string;
}

const actor = (ctx: GraphQLContext): LifecycleActor => ({ type: AuditActorType.USER, id: currentUser(ctx).id, ip: ctx.meta.ip ?? null });

/** Disconnect and test, for the signed-in user's own connections only (another user's id: NOT_FOUND, S30). */
@Resolver()
export class TokenLifecycleResolver {
  @Authorized()
  @Mutation(() => DisconnectResultType, {
    description: 'Revokes the connection at the provider, then deletes it and its tokens (also when the provider fails). Errors: NOT_FOUND.',
  })
  disconnect(@Arg('connectionId', () => ID) connectionId: string, @Ctx() ctx: GraphQLContext<LifecycleServices>): Promise<DisconnectResultType> {
    return disconnectConnection(ctx.services, { userId: currentUser(ctx).id, connectionId, actor: actor(ctx) });
  }

  @Authorized()
  @Mutation(() => ConnectionTestResultType, {
    description: "Calls the provider's identity endpoint with the stored token (refreshed first when needed). Errors: NOT_FOUND.",
  })
  testConnection(@Arg('connectionId', () => ID) connectionId: string, @Ctx() ctx: GraphQLContext<LifecycleServices>): Promise<ConnectionTestResultType> {
    return testConnection(ctx.services, { userId: currentUser(ctx).id, connectionId, actor: actor(ctx) });
  }
}
