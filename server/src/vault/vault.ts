import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VaultError } from './errors.js';
import { keyById, type Keyring } from './keyring.js';

/**
 * Where a secret lives. It is bound into the ciphertext as GCM associated data, so a
 * sealed value copied into another row, field or owner fails to decrypt (S24).
 */
export interface SecretPlace {
  ownerId: string;
  kind: string;
  recordId: string;
  field: string;
}

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12; // 96-bit IV: the size GCM is specified for (NIST SP 800-38D)
const TAG_BYTES = 16; // 128-bit tag, and only that (S23)
const KEY_ID = /^[0-9a-f]{16}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const LONE_SURROGATE = /\p{Surrogate}/u; // in /u mode a valid pair is one code point and does not match

interface Sealed {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/**
 * The associated data for one encryption: a JSON array of the format version, key id and
 * the four place fields.
 *
 * - JSON rather than concatenation so the encoding is unambiguous: ("ab","c") and ("a","bc")
 *   give different AAD. JSON.stringify also escapes lone surrogates, so no two distinct
 *   strings encode alike (a UTF-8 byte encoding would turn both "\uD800" and "\uFFFD" into EF BF BD).
 * - The version and key id are in the AAD so the header is authenticated too: relabelling a
 *   ciphertext (another version, another key id) makes it fail, instead of relying only on the
 *   key lookup to go wrong. That keeps the header trustworthy for needsReencryption and for any
 *   future format whose ciphertext layout happens to match this one.
 * Exported for tests; not part of the public API.
 */
export function associatedData(version: string, keyId: string, place: SecretPlace): Buffer {
  return Buffer.from(
    JSON.stringify(['oauth-hub/vault', version, keyId, place.ownerId, place.kind, place.recordId, place.field]),
    'utf8',
  );
}

function checkPlace(place: SecretPlace): void {
  // Guards JS callers and `any`: JSON.stringify would silently encode undefined as null.
  for (const name of ['ownerId', 'kind', 'recordId', 'field'] as const) {
    if (typeof place?.[name] !== 'string') throw new TypeError(`Vault: place.${name} must be a string`);
  }
}

/**
 * Strict base64url: our alphabet, no padding, and canonical (re-encoding gives the same text).
 * Canonical form means each byte string has exactly one sealed spelling, so the envelope
 * text itself is not malleable.
 */
function decodePart(text: string, name: string): Buffer {
  if (!BASE64URL.test(text) || text.length % 4 === 1) {
    throw new VaultError('MALFORMED', `Vault: sealed value has invalid base64url in ${name}`);
  }
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) {
    throw new VaultError('MALFORMED', `Vault: sealed value has non-canonical base64url in ${name}`);
  }
  return bytes;
}

/** Parses `v1.<keyId>.<iv>.<ciphertext>.<tag>`; checks structure only, never the key. */
function parse(sealed: string): Sealed {
  // Messages describe which structural rule failed but never echo any part of the input.
  if (typeof sealed !== 'string') throw new VaultError('MALFORMED', 'Vault: sealed value is not a string');
  const parts = sealed.split('.');
  if (parts.length !== 5) throw new VaultError('MALFORMED', 'Vault: sealed value must have 5 dot-separated parts');
  const [version, keyId, ivText, ciphertextText, tagText] = parts as [string, string, string, string, string];
  if (version !== VERSION) throw new VaultError('MALFORMED', 'Vault: sealed value has an unsupported format version');
  if (!KEY_ID.test(keyId)) throw new VaultError('MALFORMED', 'Vault: sealed value has an invalid key id');
  const iv = decodePart(ivText, 'iv');
  const ciphertext = decodePart(ciphertextText, 'ciphertext');
  const tag = decodePart(tagText, 'tag');
  // Node's decipher would accept a truncated tag unless told otherwise; a 4-byte tag is
  // forgeable by brute force. We check lengths here and also pin authTagLength below.
  if (iv.length !== IV_BYTES) throw new VaultError('MALFORMED', 'Vault: sealed value has an iv of the wrong length');
  if (tag.length !== TAG_BYTES) throw new VaultError('MALFORMED', 'Vault: sealed value has a tag of the wrong length');
  return { keyId, iv, ciphertext, tag };
}

/** Encrypts and decrypts secrets with AES-256-GCM under a rotating keyring (S23–S25). */
export class Vault {
  readonly #keyring: Keyring;

  constructor(keyring: Keyring) {
    this.#keyring = keyring;
  }

  /** Seals `plaintext` for `place`, always under the current key, with a fresh random IV. */
  encrypt(plaintext: string, place: SecretPlace): string {
    if (typeof plaintext !== 'string') throw new TypeError('Vault: plaintext must be a string');
    // A lone surrogate cannot be encoded as UTF-8; it would come back as U+FFFD, i.e. a
    // different secret. Refuse instead of silently corrupting it.
    if (LONE_SURROGATE.test(plaintext)) throw new TypeError('Vault: plaintext is not well-formed Unicode');
    checkPlace(place);
    const keyId = this.#keyring.currentKeyId;
    const key = keyById(this.#keyring, keyId);
    if (key === undefined) throw new VaultError('UNKNOWN_KEY', `Vault: current key ${keyId} is missing`); // cannot happen
    // A random 96-bit IV per message: repeating an IV under one GCM key is catastrophic, and at
    // our volumes random IVs stay far below the 2^32-messages-per-key bound of SP 800-38D.
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(VERSION, keyId, place));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, keyId, iv.toString('base64url'), ciphertext.toString('base64url'), tag.toString('base64url')].join(
      '.',
    );
  }

  /**
   * Opens a sealed value with whichever key of the ring made it.
   * @throws VaultError MALFORMED (bad structure), UNKNOWN_KEY (key not in the ring),
   *   DECRYPT_FAILED (wrong place, tampered or corrupted; deliberately not more specific).
   */
  decrypt(sealed: string, place: SecretPlace): string {
    const { keyId, iv, ciphertext, tag } = parse(sealed);
    checkPlace(place);
    const key = keyById(this.#keyring, keyId);
    if (key === undefined) throw new VaultError('UNKNOWN_KEY', `Vault: key ${keyId} is not in the keyring`);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(VERSION, keyId, place));
      decipher.setAuthTag(tag);
      // final() verifies the tag; nothing is returned unless it passes.
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // One message for every authentication failure (wrong place, flipped byte, wrong key):
      // saying which would help an attacker probe, and the cause is not ours to log.
      throw new VaultError('DECRYPT_FAILED', `Vault: decryption failed (key ${keyId})`);
    }
  }

  /** The id of the key a sealed value was made with. Parses only; never decrypts. */
  keyIdOf(sealed: string): string {
    return parse(sealed).keyId;
  }

  /** True when the value was sealed under a key other than the current one. */
  needsReencryption(sealed: string): boolean {
    return this.keyIdOf(sealed) !== this.#keyring.currentKeyId;
  }

  /** Decrypts with whatever key made the value and seals it again under the current key. */
  reencrypt(sealed: string, place: SecretPlace): string {
    return this.encrypt(this.decrypt(sealed, place), place);
  }
}
