import 'server-only';

import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM sealing of everything secret the portal stores (session records, client
 * registrations). Keys are derived from SESSION_SECRET with HKDF; the first secret seals, every
 * secret opens, so keys rotate by prepending a new one. The associated data binds a ciphertext to
 * the store key it was written under: moved under another key, it no longer opens.
 */

const FORMAT = 'v1';

interface DerivedKey {
  id: string;
  key: Buffer;
}

export interface Sealer {
  seal(plaintext: string, associatedData: string): string;
  /** The plaintext, or null for anything that is not an intact ciphertext under a known key. */
  open(sealed: string, associatedData: string): string | null;
  /** True for a ciphertext of this format sealed with a key none of the secrets derives (the secret changed). */
  sealedWithUnknownKey(sealed: string): boolean;
}

function deriveKey(secret: string): DerivedKey {
  const key = Buffer.from(hkdfSync('sha256', secret, 'gatehouse', 'gatehouse session store encryption v1', 32));
  // The key id names the key without revealing it: a hash of the derived key, not of the secret.
  const id = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return { id, key };
}

export function createSealer(secrets: readonly string[]): Sealer {
  if (secrets.length === 0) throw new Error('at least one session secret is required');
  const keys = secrets.map(deriveKey);
  const current = keys[0] as DerivedKey;
  const byId = new Map(keys.map((key) => [key.id, key]));

  return {
    seal(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [FORMAT, current.id, iv.toString('base64url'), body.toString('base64url'), tag.toString('base64url')].join('.');
    },
    open(sealed, associatedData) {
      const parts = sealed.split('.');
      if (parts.length !== 5 || parts[0] !== FORMAT) return null;
      const [, keyId, iv, body, tag] = parts as [string, string, string, string, string];
      const key = byId.get(keyId);
      if (!key) return null;
      try {
        const ivBytes = Buffer.from(iv, 'base64url');
        const tagBytes = Buffer.from(tag, 'base64url');
        if (ivBytes.length !== 12 || tagBytes.length !== 16) return null;
        const decipher = createDecipheriv('aes-256-gcm', key.key, ivBytes);
        decipher.setAAD(Buffer.from(associatedData, 'utf8'));
        decipher.setAuthTag(tagBytes);
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
    sealedWithUnknownKey(sealed) {
      const parts = sealed.split('.');
      return parts.length === 5 && parts[0] === FORMAT && /^[0-9a-f]{12}$/.test(parts[1] ?? '') && !byId.has(parts[1] as string);
    },
  };
}

/** True when the ciphertext was sealed with a key other than the current one (re-seal on next write). */
export function sealedWithOlderKey(sealed: string, secrets: readonly string[]): boolean {
  const first = secrets[0];
  return first !== undefined && sealed.split('.')[1] !== deriveKey(first).id;
}

/** 256 random bits, base64url: the session id that the cookie carries. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * How the audit trail refers to a session: derived from its id one way, and distinct from the
 * store key, so a log reader can tie a session's events together and learn nothing to use.
 */
export function sessionAuditRef(sessionId: string): string {
  return sha256Hex(`audit\n${sessionId}`).slice(0, 16);
}
