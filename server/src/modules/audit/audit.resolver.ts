import { Arg, Authorized, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { currentUser, type GraphQLContext } from '../accounts/context.js';
import { AuditEvent } from './audit-event.entity.js';
import { AUDIT_PAGE_DEFAULT, AuditService } from './audit.service.js';

@ObjectType('PageInfo', { description: 'Where a page of a connection ends (cursor pagination).' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;
}

@ObjectType('AuditEventEdge')
export class AuditEventEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => AuditEvent)
  node!: AuditEvent;
}

@ObjectType('AuditEventConnection')
export class AuditEventConnection {
  @Field(() => [AuditEventEdge])
  edges!: AuditEventEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@Resolver(() => AuditEvent)
export class AuditResolver {
  private readonly audit = new AuditService();

  @Authorized()
  @Query(() => AuditEventConnection, { description: "The signed-in user's audit log, newest first." })
  async auditEvents(
    @Arg('first', () => Int, { nullable: true, defaultValue: AUDIT_PAGE_DEFAULT, description: 'Page size, clamped to 1..100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page.' }) after: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AuditEventConnection> {
    return this.audit.list(ctx.em, currentUser(ctx).id, { first, after: after ?? null });
  }

  /** The catalog's name for the provider, so the dashboard keeps no list of its own; other services (API keys) as stored. */
  @FieldResolver(() => String, { nullable: true, description: "The provider's display name (`Google Drive`), or the API-key service as stored; null when no provider." })
  providerName(@Root() event: AuditEvent, @Ctx() ctx: GraphQLContext): string | null {
    if (!event.provider) return null;
    return ctx.services.providers.get(event.provider)?.definition.displayName ?? event.provider;
  }
}
