/**
 * Shopify shop domains. The server checks the same anchored pattern before any redirect (S10);
 * this is the friendly first line: a bare store name gets `.myshopify.com` appended, and a
 * pasted admin URL is reduced to its host.
 */
export const SHOP_DOMAIN = /^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$/;
const SHOP_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;
const MAX_LENGTH = 255;

export type ShopCheck = { ok: true; shop: string } | { ok: false; message: string };

export const SHOP_REQUIRED_MESSAGE = 'Enter your shop’s name or domain.';
export const SHOP_INVALID_MESSAGE = 'Enter a shop like my-store or my-store.myshopify.com.';

export function normalizeShopDomain(input: string): ShopCheck {
  let value = input.trim();
  if (value === '') return { ok: false, message: SHOP_REQUIRED_MESSAGE };
  // "https://my-store.myshopify.com/admin" → "my-store.myshopify.com". Nothing else is rewritten:
  // the result must still match the anchored pattern on its own.
  const url = /^https?:\/\/([^/?#]+)(?:[/?#].*)?$/i.exec(value);
  if (url?.[1]) value = url[1];
  // Host names are case-insensitive; the server's pattern is not (and it lower-cases what passes).
  value = value.toLowerCase();
  if (SHOP_NAME.test(value)) value = `${value}.myshopify.com`;
  if (value.length > MAX_LENGTH || !SHOP_DOMAIN.test(value)) return { ok: false, message: SHOP_INVALID_MESSAGE };
  return { ok: true, shop: value };
}
