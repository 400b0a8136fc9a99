import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { currentUser, type GraphQLContext } from '../accounts/context.js';
import { ApiKey, ApiKeyStatus } from './api-key.entity.js';
import { ApiKeyService, type Actor } from './api-key.service.js';

@InputType()
export class CreateApiKeyInput {
  @Field(() => String, { description: 'Lower-case slug of the service the key is for, e.g. `openai`.' })
  service!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The API key. Stored encrypted; never returned.' })
  key!: string;
}

@InputType()
export class UpdateApiKeyInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'A new key replaces the stored one (a rotation).' })
  key?: string | null;
}

/** The user's API keys. Authorization: @Authorized() plus every query filtered by the caller (S30). */
@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Authorized()
  @Query(() => [ApiKey], { description: "The signed-in user's stored API keys (hints only)." })
  apiKeys(@Ctx() ctx: GraphQLContext): Promise<ApiKey[]> {
    return this.service(ctx).list(currentUser(ctx).id);
  }

  @Authorized()
  @Mutation(() => ApiKey, { description: 'Stores an API key for a service.' })
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: GraphQLContext): Promise<ApiKey> {
    return this.service(ctx).create(actor(ctx), input);
  }

  @Authorized()
  @Mutation(() => ApiKey, { description: 'Renames a stored API key and/or replaces the key itself.' })
  updateApiKey(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateApiKeyInput) input: UpdateApiKeyInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ApiKey> {
    return this.service(ctx).update(actor(ctx), id, input);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Deletes a stored API key.' })
  deleteApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return this.service(ctx).delete(actor(ctx), id);
  }

  @FieldResolver(() => ApiKeyStatus)
  status(@Root() key: ApiKey, @Ctx() ctx: GraphQLContext): Promise<ApiKeyStatus> {
    return this.service(ctx).statusOf(key);
  }

  private service(ctx: GraphQLContext) {
    return new ApiKeyService(ctx.em, ctx.services.vault);
  }
}

function actor(ctx: GraphQLContext): Actor {
  return { userId: currentUser(ctx).id, ip: ctx.meta.ip };
}
