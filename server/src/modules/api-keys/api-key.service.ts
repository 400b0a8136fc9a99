import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { placeOf, API_KEY_COLUMN } from '../../vault/encrypted-columns.js';
import { badInput, conflict, notFound, unreadable } from '../../shared/errors.js';
import type { Vault } from '../../vault/index.js';
import { AuditActorType, AuditOutcome } from '../audit/audit-event.entity.js';
import { AuditService, type AuditAction } from '../audit/audit.service.js';
import { User } from '../accounts/user.entity.js';
import { ApiKey, ApiKeyStatus } from './api-key.entity.js';

export const API_KEY_MAX = 4096;
export const API_KEY_NAME_MAX = 255;
export const SERVICE_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,99}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /\p{Surrogate}/u;

export const isUuid = (value: string) => UUID.test(value);

/**
 * The last characters of a key, so a user can tell keys apart: 4 characters, but never more than
 * a quarter of the key, so a short key is not given away by its hint (S27).
 */
export function apiKeyHint(key: string): string {
  const chars = Array.from(key);
  const n = Math.min(4, Math.floor(chars.length / 4));
  return n === 0 ? '' : chars.slice(-n).join('');
}

/** The key as it will be stored. Surrounding whitespace is a paste accident, never part of a key. */
export function checkKey(raw: string): string {
  const key = raw.trim();
  if (!key) throw badInput('key', 'API key is required');
  if (key.length > API_KEY_MAX) throw badInput('key', `API key must be at most ${API_KEY_MAX} characters`);
  if (CONTROL.test(key) || LONE_SURROGATE.test(key)) throw badInput('key', 'API key contains characters that cannot be part of a key');
  return key;
}

export function checkName(raw: string): string {
  const name = raw.trim();
  if (!name) throw badInput('name', 'Name is required');
  if (name.length > API_KEY_NAME_MAX) throw badInput('name', `Name must be at most ${API_KEY_NAME_MAX} characters`);
  if (CONTROL.test(name) || LONE_SURROGATE.test(name)) throw badInput('name', 'Name contains characters that are not allowed');
  return name;
}

export function checkService(raw: string): string {
  const service = raw.trim();
  if (!service) throw badInput('service', 'Service is required');
  if (!SERVICE_PATTERN.test(service)) {
    throw badInput('service', 'Service must be 1–100 characters: lower-case letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  return service;
}

const notFoundKey = () => notFound('API key');
const duplicate = () => conflict('You already have an API key with this name for this service', 'name');
export const unreadableKey = () => unreadable('The stored API key cannot be decrypted; its owner must save it again');

/** Who is acting, for the audit log. */
export interface Actor {
  userId: string;
  ip?: string | undefined;
}

/**
 * API key storage. Every write and its audit event share one transaction; the plaintext key is
 * only ever held in memory between the request and the vault (never logged, never returned).
 */
export class ApiKeyService {
  private readonly audit = new AuditService();

  constructor(
    private readonly em: EntityManager,
    private readonly vault: Vault,
  ) {}

  list(userId: string): Promise<ApiKey[]> {
    return this.em.find(ApiKey, { user: userId }, { populate: ['encryptedKey'], orderBy: { service: 'asc', name: 'asc', createdAt: 'asc' } });
  }

  /** Whether the stored value still decrypts; the plaintext is dropped on the spot. */
  async statusOf(key: ApiKey): Promise<ApiKeyStatus> {
    let sealed: string | undefined = key.encryptedKey;
    if (sealed === undefined) {
      const rows = await this.em.execute<Array<{ encrypted_key: string }>>('select encrypted_key from user_api_keys where id = ?', [key.id]);
      sealed = rows[0]?.encrypted_key;
    }
    if (sealed === undefined) return ApiKeyStatus.UNREADABLE;
    return this.opens(sealed, key.user.id, key.id) ? ApiKeyStatus.OK : ApiKeyStatus.UNREADABLE;
  }

  async create(actor: Actor, input: { service: string; name: string; key: string }): Promise<ApiKey> {
    const service = checkService(input.service);
    const name = checkName(input.name);
    const plaintext = checkKey(input.key);
    return this.write(async (tx) => {
      const key = tx.create(ApiKey, { user: tx.getReference(User, actor.userId), service, name, hint: apiKeyHint(plaintext), encryptedKey: '' });
      key.encryptedKey = this.seal(plaintext, actor.userId, key.id);
      await tx.flush();
      await this.record(tx, actor, 'api_key.create', key);
      return key;
    });
  }

  /** Renames and/or replaces the key. A new key is a rotation and is audited as such. */
  async update(actor: Actor, id: string, input: { name?: string | null | undefined; key?: string | null | undefined }): Promise<ApiKey> {
    const name = input.name == null ? undefined : checkName(input.name);
    const plaintext = input.key == null ? undefined : checkKey(input.key);
    if (name === undefined && plaintext === undefined) throw badInput('name', 'Give a new name, a new key, or both');
    if (!isUuid(id)) throw notFoundKey();
    return this.write(async (tx) => {
      const key = await tx.findOne(ApiKey, { id, user: actor.userId }, { populate: ['encryptedKey'] });
      if (!key) throw notFoundKey();
      if (name !== undefined) key.name = name;
      if (plaintext !== undefined) {
        key.encryptedKey = this.seal(plaintext, actor.userId, key.id);
        key.hint = apiKeyHint(plaintext);
      }
      key.updatedAt = new Date();
      await tx.flush();
      await this.record(tx, actor, plaintext !== undefined ? 'api_key.rotate' : 'api_key.update', key);
      return key;
    });
  }

  async delete(actor: Actor, id: string): Promise<boolean> {
    if (!isUuid(id)) throw notFoundKey();
    return this.write(async (tx) => {
      const key = await tx.findOne(ApiKey, { id, user: actor.userId });
      if (!key) throw notFoundKey();
      tx.remove(key);
      await tx.flush();
      await this.record(tx, actor, 'api_key.delete', key);
      return true;
    });
  }

  /**
   * For a backend service (credentials route): the newest key of `service` (or the one named
   * `name`) in plaintext. Marks it used and audits the read; failures are audited too.
   * @throws AppError NOT_FOUND, UNREADABLE (409)
   */
  async readForService(userId: string, service: string, name: string | undefined, ip: string | undefined): Promise<string> {
    const [key] = await this.em.find(
      ApiKey,
      { user: userId, service, ...(name !== undefined ? { name } : {}) },
      { populate: ['encryptedKey'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: 1 },
    );
    const event = { userId, actorType: AuditActorType.SERVICE, actorId: null, action: 'api_key.read', targetType: 'api_key', provider: service, ip: ip ?? null } as const;
    if (!key) {
      await this.audit.record(this.em, { ...event, outcome: AuditOutcome.FAILURE, reason: 'not_found' });
      throw notFoundKey();
    }
    let plaintext: string;
    try {
      plaintext = this.vault.decrypt(key.encryptedKey, placeOf(API_KEY_COLUMN, userId, key.id));
    } catch {
      await this.audit.record(this.em, { ...event, targetId: key.id, outcome: AuditOutcome.FAILURE, reason: 'unreadable' });
      throw unreadableKey();
    }
    await this.em.transactional(async (tx) => {
      await tx.execute('update user_api_keys set last_used_at = now() where id = ?', [key.id]);
      await this.audit.record(tx, { ...event, targetId: key.id, outcome: AuditOutcome.SUCCESS });
    });
    return plaintext;
  }

  private seal(plaintext: string, userId: string, keyId: string): string {
    return this.vault.encrypt(plaintext, placeOf(API_KEY_COLUMN, userId, keyId));
  }

  private opens(sealed: string, userId: string, keyId: string): boolean {
    try {
      this.vault.decrypt(sealed, placeOf(API_KEY_COLUMN, userId, keyId));
      return true;
    } catch {
      return false;
    }
  }

  private async record(tx: EntityManager, actor: Actor, action: AuditAction, key: ApiKey): Promise<void> {
    await this.audit.record(tx, {
      userId: actor.userId,
      actorType: AuditActorType.USER,
      actorId: actor.userId,
      action,
      targetType: 'api_key',
      targetId: key.id,
      provider: key.service,
      outcome: AuditOutcome.SUCCESS,
      ip: actor.ip ?? null,
    });
  }

  /** One transaction per change; a duplicate (service, name) becomes CONFLICT. */
  private async write<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.em.transactional(work);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw duplicate();
      throw err;
    }
  }
}
