import { siAsana, siBox, siDropbox, siGoogledrive, siShopify, siTrello, siZoho } from 'simple-icons';

/**
 * Brand marks of the built-in providers (simple-icons, CC0; only these seven are imported, so
 * the bundle carries seven paths, not the library). Custom providers get a neutral letter mark.
 */
interface Brand {
  path: string;
  hex: string;
}

const BRANDS: Readonly<Record<string, Brand>> = {
  google: siGoogledrive,
  asana: siAsana,
  dropbox: siDropbox,
  box: siBox,
  trello: siTrello,
  shopify: siShopify,
  zoho: siZoho,
};

export function hasBrandIcon(provider: string): boolean {
  return Object.hasOwn(BRANDS, provider);
}

export interface ProviderIconProps {
  provider: string;
  /** The display name: the letter mark's letter. */
  name: string;
  size?: number;
}

/** Decorative (aria-hidden): the provider's name is always written next to it. */
export function ProviderIcon({ provider, name, size = 40 }: ProviderIconProps) {
  const brand = hasBrandIcon(provider) ? BRANDS[provider] : undefined;
  if (!brand) {
    return (
      <span className="provider-icon provider-icon-letter" style={{ width: size, height: size }} aria-hidden="true" data-provider={provider}>
        {(name.trim()[0] ?? '?').toUpperCase()}
      </span>
    );
  }
  const glyph = Math.round(size * 0.55);
  return (
    <span className="provider-icon" style={{ width: size, height: size }} aria-hidden="true" data-provider={provider}>
      <svg width={glyph} height={glyph} viewBox="0 0 24 24" fill={`#${brand.hex}`} focusable="false">
        <path d={brand.path} />
      </svg>
    </span>
  );
}
