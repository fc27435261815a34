import { describe, expect, it } from 'vitest';

import { createSealer, newSessionId, SESSION_ID_PATTERN, sealedWithOlderKey } from '@/lib/server/core/crypto';

const OLD = 'o'.repeat(32);
const NEW = 'n'.repeat(32);

describe('sealing session records', () => {
  it('opens what it sealed, with the same associated data only', () => {
    const sealer = createSealer([NEW]);
    const sealed = sealer.seal('{"token":"secret"}', 'session:abc');
    expect(sealed).not.toContain('secret');
    expect(sealer.open(sealed, 'session:abc')).toBe('{"token":"secret"}');
    expect(sealer.open(sealed, 'session:other')).toBeNull();
  });

  it('never produces the same ciphertext twice (a fresh IV each time)', () => {
    const sealer = createSealer([NEW]);
    expect(sealer.seal('same', 'k')).not.toBe(sealer.seal('same', 'k'));
  });

  it('rejects any altered byte of the IV, the ciphertext or the tag', () => {
    const sealer = createSealer([NEW]);
    const parts = sealer.seal('payload', 'k').split('.');
    for (const part of [2, 3, 4]) {
      const bytes = Buffer.from(parts[part] as string, 'base64url');
      for (let index = 0; index < bytes.length; index += 1) {
        const altered = Buffer.from(bytes);
        altered[index] = (altered[index] as number) ^ 0x01;
        const copy = [...parts];
        copy[part] = altered.toString('base64url');
        expect(sealer.open(copy.join('.'), 'k')).toBeNull();
      }
    }
  });

  it('rotates keys: a new first secret seals, the old one still opens', () => {
    const before = createSealer([OLD]);
    const sealedBefore = before.seal('kept across rotation', 'k');
    const after = createSealer([NEW, OLD]);
    expect(after.open(sealedBefore, 'k')).toBe('kept across rotation');
    expect(sealedWithOlderKey(sealedBefore, [NEW, OLD])).toBe(true);
    const resealed = after.seal('kept across rotation', 'k');
    expect(sealedWithOlderKey(resealed, [NEW, OLD])).toBe(false);
    // Once the old secret is dropped, its records no longer open: they fail closed.
    expect(createSealer([NEW]).open(sealedBefore, 'k')).toBeNull();
  });

  it.each(['', 'v1', 'v1.a.b.c.d', 'v2.x.y.z.w', 'not sealed at all', '....'])('treats %j as nothing', (text) => {
    expect(createSealer([NEW]).open(text, 'k')).toBeNull();
  });
});

describe('session ids', () => {
  it('are 256 random bits, base64url, never repeated', () => {
    const ids = new Set(Array.from({ length: 100_000 }, newSessionId));
    expect(ids.size).toBe(100_000);
    for (const id of [...ids].slice(0, 100)) {
      expect(id).toMatch(SESSION_ID_PATTERN);
      expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    }
  });
});
