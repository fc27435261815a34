/**
 * Randomness for the emulator. Two kinds on purpose:
 * - secrets (tokens, keys, codes) come from node:crypto, so nothing a caller sees is guessable;
 * - behaviour (fault injection, synthetic directories) comes from a seeded PRNG, so a run can be replayed.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';

/** mulberry32: tiny, fast, good enough for test scheduling; never for secrets. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Uniform characters from `alphabet` using crypto randomness (randomInt avoids modulo bias). */
export function secureString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[randomInt(alphabet.length)] ?? '';
  return out;
}

export function base64url(buffer: Buffer): string {
  return buffer.toString('base64url');
}

export function randomBase64url(bytes: number): string {
  return base64url(randomBytes(bytes));
}

export function randomBase64(bytes: number): string {
  return randomBytes(bytes).toString('base64');
}

/** Deterministic characters from `alphabet`, derived from a hash of `input` (stable ids per account and role). */
export function hashedString(input: string, alphabet: string, length: number): string {
  let out = '';
  let counter = 0;
  while (out.length < length) {
    const digest = createHash('sha256').update(`${counter}:${input}`).digest();
    for (const byte of digest) {
      if (out.length >= length) break;
      // Reject the top of the byte range so every character is equally likely.
      if (byte < 256 - (256 % alphabet.length)) out += alphabet[byte % alphabet.length] ?? '';
    }
    counter += 1;
  }
  return out;
}

export function sha256Hex(input: string): string {
  return createHash('sha256').update(input).digest('hex');
}
