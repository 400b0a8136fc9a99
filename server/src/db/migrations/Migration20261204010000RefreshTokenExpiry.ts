import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 17: when the provider says how long the refresh token lives (Shopify's
 * `refresh_token_expires_in`, 90 days), the connection keeps it, so an idle shop can be warned
 * about before its grant dies.
 */
export class Migration20261204010000RefreshTokenExpiry extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "connections" add column "refresh_token_expires_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "connections" drop column if exists "refresh_token_expires_at";`);
  }
}
