import { Authorized, Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { currentUser, type GraphQLContext } from '../accounts/context.js';
import { catalogOf } from './catalog-entry.js';
import { Connection } from './connection.entity.js';
import { ConnectionService, type ConnectionView } from './connection.service.js';

@ObjectType('Integration', { description: "A provider the hub can connect, with the signed-in user's connections to it." })
export class Integration {
  @Field(() => String)
  provider!: string;

  @Field(() => String, { description: 'The name the dashboard shows (from the catalog or OAUTH_PROVIDERS_FILE).' })
  displayName!: string;

  @Field(() => String, { description: 'Which mark the dashboard shows: a simple-icons slug (`googledrive`, `asana` …) or `generic`.' })
  iconKey!: string;

  @Field(() => String)
  description!: string;

  @Field(() => String, { description: '`oauth2` or `oauth1a`.' })
  authMode!: string;

  @Field(() => Boolean, { description: 'Client credentials are set (or the provider runs in sandbox mode).' })
  configured!: boolean;

  @Field(() => Boolean, { description: 'Connected to the built-in provider simulator, not the real provider.' })
  sandbox!: boolean;

  @Field(() => Boolean, { description: 'connectProvider needs a `shop`.' })
  requiresShop!: boolean;

  @Field(() => Boolean)
  connected!: boolean;

  @Field(() => [Connection])
  connections!: ConnectionView[];
}

@Resolver()
export class IntegrationsResolver {
  @Authorized()
  @Query(() => [Integration], { description: "Every provider of the catalog (built-ins first), with the caller's connections." })
  async integrations(@Ctx() ctx: GraphQLContext): Promise<Integration[]> {
    const { providers, vault } = ctx.services;
    // One query for every connection of the caller, grouped here (no query per provider). A plain
    // statement needs no identity map: the ORM's global EntityManager, not this request's fork.
    const byProvider = new Map<string, ConnectionView[]>();
    for (const c of await new ConnectionService(ctx.services.db.orm.em, vault).listForUser(currentUser(ctx).id)) {
      byProvider.set(c.provider, [...(byProvider.get(c.provider) ?? []), c]);
    }
    return catalogOf(providers).map((entry) => {
      const connections = byProvider.get(entry.provider) ?? [];
      return { ...entry, connected: connections.length > 0, connections };
    });
  }
}
