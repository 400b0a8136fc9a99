import { Arg, Authorized, Ctx, Field, InputType, Mutation, Query, Resolver } from 'type-graphql';
import type { AccountServices, GraphQLContext } from './context.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';
import type { SessionUser } from './session.service.js';
import { AuthService } from './auth.service.js';
import { User } from './user.entity.js';

@InputType()
export class SignUpInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;
}

@InputType()
export class SignInInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;
}

@Resolver()
export class AuthResolver {
  @Query(() => User, { nullable: true, description: 'The signed-in user, or null.' })
  me(@Ctx() ctx: GraphQLContext<AccountServices>): SessionUser | null {
    return ctx.auth?.user ?? null;
  }

  @Mutation(() => User, { description: 'Creates an account and signs it in.' })
  async signUp(@Arg('input', () => SignUpInput) input: SignUpInput, @Ctx() ctx: GraphQLContext<AccountServices>): Promise<User> {
    const { user, token } = await this.auth(ctx).signUp(input.email, input.password, ctx.meta);
    setSessionCookie(ctx.res, token, ctx.services.config);
    return user;
  }

  @Mutation(() => User, { description: 'Signs in; errors never tell whether the email exists.' })
  async signIn(@Arg('input', () => SignInInput) input: SignInInput, @Ctx() ctx: GraphQLContext<AccountServices>): Promise<User> {
    const { user, token } = await this.auth(ctx).signIn(input.email, input.password, ctx.meta);
    setSessionCookie(ctx.res, token, ctx.services.config);
    return user;
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Ends the current session.' })
  async signOut(@Ctx() ctx: GraphQLContext<AccountServices>): Promise<boolean> {
    if (ctx.auth) await this.auth(ctx).signOut(ctx.auth.session, ctx.meta);
    clearSessionCookie(ctx.res, ctx.services.config);
    return true;
  }

  private auth(ctx: GraphQLContext<AccountServices>) {
    return new AuthService(ctx.em, ctx.services.authEvents, { signUpsPerIpPerHour: ctx.services.config.signUpsPerIpPerHour });
  }
}
