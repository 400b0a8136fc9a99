import { Migration } from '@mikro-orm/migrations';

/** Stored API keys (sealed by the vault) and the audit log. */
export class Migration20261124010000Vault extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "audit_events" ("id" uuid not null, "user_id" uuid null, "actor_type" text check ("actor_type" in ('user', 'service', 'system')) not null, "actor_id" varchar(255) null, "action" varchar(64) not null, "target_type" varchar(64) null, "target_id" varchar(255) null, "provider" varchar(100) null, "outcome" text check ("outcome" in ('success', 'failure')) not null, "reason" varchar(64) null, "ip" varchar(64) null, "created_at" timestamptz not null default clock_timestamp(), constraint "audit_events_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_events_user_id_created_at_id_index" on "audit_events" ("user_id", "created_at" desc, "id" desc);`);
    this.addSql(`create table "user_api_keys" ("id" uuid not null, "user_id" uuid not null, "service" varchar(100) not null, "name" varchar(255) not null, "encrypted_key" text not null, "hint" varchar(4) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "last_used_at" timestamptz null, constraint "user_api_keys_pkey" primary key ("id"));`);
    this.addSql(`alter table "user_api_keys" add constraint "user_api_keys_user_id_service_name_unique" unique ("user_id", "service", "name");`);
    this.addSql(`alter table "user_api_keys" add constraint "user_api_keys_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "user_api_keys" cascade;`);
    this.addSql(`drop table if exists "audit_events" cascade;`);
  }
}
