import { Arg, Authorized, Ctx, Field, Mutation, ObjectType, Resolver } from 'type-graphql';
import { currentUser, type GraphQLContext } from '../accounts/context.js';
import { OAuthFlowService } from './oauth-flow.service.js';

@ObjectType('ConnectStart', { description: 'Where to send the browser to connect a provider account.' })
export class ConnectStart {
  @Field(() => String)
  authorizationUrl!: string;
}

@Resolver()
export class ConnectResolver {
  @Authorized()
  @Mutation(() => ConnectStart, {
    description:
      'Starts connecting a provider account; send the browser to `authorizationUrl`. Errors: UNKNOWN_PROVIDER, PROVIDER_NOT_CONFIGURED, BAD_USER_INPUT (field `shop`).',
  })
  async connectProvider(
    @Arg('provider', () => String) provider: string,
    @Arg('shop', () => String, { nullable: true, description: 'Shopify: the shop domain, e.g. my-store.myshopify.com.' }) shop: string | null | undefined,
    @Arg('returnTo', () => String, { nullable: true, description: 'A same-origin path to come back to; anything else is ignored.' })
    returnTo: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConnectStart> {
    const authorizationUrl = await new OAuthFlowService(ctx.services, ctx.em, ctx.log).start(currentUser(ctx).id, { provider, shop, returnTo }, ctx.meta.ip);
    return { authorizationUrl };
  }
}
