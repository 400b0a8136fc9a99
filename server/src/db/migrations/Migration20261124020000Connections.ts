import { Migration } from '@mikro-orm/migrations';

/** Connected provider accounts (tokens vault-sealed) and connects in progress. */
export class Migration20261124020000Connections extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "connections" ("id" uuid not null, "user_id" uuid not null, "provider" varchar(40) not null, "provider_account_id" varchar(255) not null, "account_email" varchar(320) null, "account_label" varchar(255) not null, "status" text check ("status" in ('ACTIVE', 'NEEDS_REAUTH')) not null default 'ACTIVE', "scopes" jsonb not null, "access_token_enc" text not null, "refresh_token_enc" text null, "token_secret_enc" text null, "token_type" varchar(40) not null, "expires_at" timestamptz null, "metadata" jsonb not null, "connected_at" timestamptz not null, "last_refreshed_at" timestamptz null, "last_error" varchar(64) null, "refresh_failures" int not null default 0, "next_refresh_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "connections_pkey" primary key ("id"));`);
    this.addSql(`alter table "connections" add constraint "connections_user_id_provider_provider_account_id_unique" unique ("user_id", "provider", "provider_account_id");`);
    this.addSql(`create index "connections_status_expires_at_index" on "connections" ("status", "expires_at");`);
    this.addSql(`alter table "connections" add constraint "connections_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "oauth_pending_authorizations" ("id" uuid not null, "state_hash" varchar(64) not null, "user_id" uuid not null, "provider" varchar(40) not null, "shop" varchar(255) null, "return_to" varchar(512) null, "redirect_uri" text not null, "pkce_verifier_enc" text null, "request_token" varchar(255) null, "request_token_secret_enc" text null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "consumed_at" timestamptz null, constraint "oauth_pending_authorizations_pkey" primary key ("id"));`);
    this.addSql(`alter table "oauth_pending_authorizations" add constraint "oauth_pending_authorizations_state_hash_unique" unique ("state_hash");`);
    this.addSql(`create index "oauth_pending_authorizations_user_id_index" on "oauth_pending_authorizations" ("user_id");`);
    this.addSql(`create index "oauth_pending_authorizations_expires_at_index" on "oauth_pending_authorizations" ("expires_at");`);
    this.addSql(`alter table "oauth_pending_authorizations" add constraint "oauth_pending_authorizations_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "oauth_pending_authorizations" cascade;`);
    this.addSql(`drop table if exists "connections" cascade;`);
  }
}
