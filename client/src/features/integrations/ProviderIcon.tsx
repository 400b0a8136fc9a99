import { siAsana, siBox, siDropbox, siGoogledrive, siShopify, siTrello, siZoho } from 'simple-icons';

/**
 * Brand marks by the `iconKey` the server sends with each integration (a simple-icons slug; CC0;
 * only these are imported, so the bundle carries their paths, not the library). Any other key —
 * `generic` for custom providers, or a slug this build does not carry — gets a neutral letter mark.
 */
interface Brand {
  path: string;
  hex: string;
}

const BRANDS: Readonly<Record<string, Brand>> = {
  [siGoogledrive.slug]: siGoogledrive,
  [siAsana.slug]: siAsana,
  [siDropbox.slug]: siDropbox,
  [siBox.slug]: siBox,
  [siTrello.slug]: siTrello,
  [siShopify.slug]: siShopify,
  [siZoho.slug]: siZoho,
};

export function hasBrandIcon(iconKey: string): boolean {
  return Object.hasOwn(BRANDS, iconKey);
}

export interface ProviderIconProps {
  provider: string;
  /** The integration's `iconKey`. */
  iconKey: string;
  /** The display name: the letter mark's letter. */
  name: string;
  size?: number;
}

/** Decorative (aria-hidden): the provider's name is always written next to it. */
export function ProviderIcon({ provider, iconKey, name, size = 40 }: ProviderIconProps) {
  const brand = hasBrandIcon(iconKey) ? BRANDS[iconKey] : undefined;
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
