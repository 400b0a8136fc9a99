import { Migration } from '@mikro-orm/migrations';

/** Throttle rows whose window ended long ago are swept (issue 10): an index to find them. */
export class Migration20261204000000AbuseLimits extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "auth_throttle_window_started_at_index" on "auth_throttle" ("window_started_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "auth_throttle_window_started_at_index";`);
  }
}
