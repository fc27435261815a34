'use client';

import type { ClipboardEvent, ReactNode } from 'react';

/** What stands on screen instead of a secret until the person reveals it (same length for every secret). */
export const MASK = '•'.repeat(16);

/** `text` cut where the secrets appear: the plain parts and the secrets, in order. */
export function secretParts(text: string, secrets: readonly string[]): { text: string; secret: boolean }[] {
  let parts = [{ text, secret: false }];
  for (const secret of secrets) {
    if (!secret) continue;
    parts = parts.flatMap((part) =>
      part.secret ? [part] : part.text.split(secret).flatMap((plain, index) => (index === 0 ? [{ text: plain, secret: false }] : [{ text: secret, secret: true }, { text: plain, secret: false }])),
    );
  }
  return parts.filter((part) => part.text.length > 0);
}

/**
 * The mask that stands for a secret: not selectable, so selecting the text around it and copying
 * never puts bullets on the clipboard (the Copy buttons give the real values).
 */
export function Mask({ children = MASK }: { children?: ReactNode }) {
  return <span className="select-none">{children}</span>;
}

/** `text` with its secrets masked unless revealed. */
export function MaskedText({ text, secrets, revealed }: { text: string; secrets: readonly string[]; revealed: boolean }) {
  if (revealed) return text;
  return secretParts(text, secrets).map((part, index) => (part.secret ? <Mask key={index} /> : part.text));
}

/**
 * A copy handler for text that may show masks: should a browser put a mask in the selection anyway,
 * the clipboard gets the selection without it, never the bullets.
 */
export function withoutMasks(event: ClipboardEvent<HTMLElement>): void {
  const selected = window.getSelection()?.toString() ?? '';
  if (!selected.includes('•')) return;
  event.preventDefault();
  event.clipboardData.setData('text/plain', selected.replace(/•+/g, ''));
}
