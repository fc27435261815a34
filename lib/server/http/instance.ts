import 'server-only';

import type { NextRequest } from 'next/server';

import { findInstance, getConfig, type IdentityCenterInstance } from '@/lib/server/env';
import { isNamedError } from '@/lib/server/errors';
import { INSTANCE_KEY_PATTERN } from '@/lib/shared/instances';

import { sessionCookieName } from './session-cookie';

/** The request named an instance that is not configured (→ 400). */
export class UnknownInstanceError extends Error {
  static override [Symbol.hasInstance](value: unknown): value is UnknownInstanceError {
    return isNamedError(value, 'UnknownInstanceError');
  }

  constructor() {
    super('No Identity Center instance is configured under that name.');
    this.name = 'UnknownInstanceError';
  }
}

/**
 * Which Identity Center instance a request is about: the one its `instance` parameter names, or,
 * when it names none, the first configured instance the browser holds a session for, else the
 * first configured one. With one instance, requests never need to say.
 */
export function resolveInstance(requested: string | null | undefined, hasSession: (instance: IdentityCenterInstance) => boolean): IdentityCenterInstance {
  const { instances } = getConfig();
  if (requested !== null && requested !== undefined) {
    const found = INSTANCE_KEY_PATTERN.test(requested) ? findInstance(getConfig(), requested) : undefined;
    if (!found) throw new UnknownInstanceError();
    return found;
  }
  return instances.find(hasSession) ?? instances[0];
}

export function instanceOf(request: NextRequest): IdentityCenterInstance {
  return resolveInstance(request.nextUrl.searchParams.get('instance'), (instance) => request.cookies.has(sessionCookieName(instance)));
}

/** The session cookie this request holds for the instance, if any. */
export function sessionCookieOf(request: NextRequest, instance: IdentityCenterInstance): string | undefined {
  return request.cookies.get(sessionCookieName(instance))?.value;
}
