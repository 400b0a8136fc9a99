import { describe, expect, it } from 'vitest';
import { normalizeShopDomain, SHOP_INVALID_MESSAGE, SHOP_REQUIRED_MESSAGE } from './shop';

describe('normalizeShopDomain (S10: the same anchored pattern as the server)', () => {
  it.each([
    ['my-store', 'my-store.myshopify.com'],
    ['  my-store  ', 'my-store.myshopify.com'],
    ['My-Store', 'my-store.myshopify.com'],
    ['shop1', 'shop1.myshopify.com'],
    ['my-store.myshopify.com', 'my-store.myshopify.com'],
    ['My-Store.MyShopify.com', 'my-store.myshopify.com'],
    ['https://my-store.myshopify.com', 'my-store.myshopify.com'],
    ['https://my-store.myshopify.com/admin/settings?x=1', 'my-store.myshopify.com'],
  ])('%j → %j', (input, shop) => {
    expect(normalizeShopDomain(input)).toEqual({ ok: true, shop });
  });

  it.each([
    ['', SHOP_REQUIRED_MESSAGE],
    ['   ', SHOP_REQUIRED_MESSAGE],
    ['-store', SHOP_INVALID_MESSAGE],
    ['my_store', SHOP_INVALID_MESSAGE],
    ['my store', SHOP_INVALID_MESSAGE],
    ['my-store.example.com', SHOP_INVALID_MESSAGE],
    ['my-store.myshopify.com.evil.example', SHOP_INVALID_MESSAGE],
    ['evil.example/x.myshopify.com', SHOP_INVALID_MESSAGE],
    ['a.b.myshopify.com', SHOP_INVALID_MESSAGE],
    ['https://evil.example/my-store.myshopify.com', SHOP_INVALID_MESSAGE],
    ['my-store.myshopify.com:443', SHOP_INVALID_MESSAGE],
    ['user@my-store.myshopify.com', SHOP_INVALID_MESSAGE],
    [`${'a'.repeat(250)}.myshopify.com`, SHOP_INVALID_MESSAGE],
  ])('rejects %j', (input, message) => {
    expect(normalizeShopDomain(input)).toEqual({ ok: false, message });
  });
});
