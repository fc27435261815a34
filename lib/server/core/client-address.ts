import 'server-only';

import { isIP } from 'node:net';

/**
 * The address a request really came from. Next.js keeps a client-supplied X-Forwarded-For as it
 * is, so that header alone cannot be trusted. At start-up the portal stamps every incoming request
 * with the connection's own address in a header of its own (replacing anything a client sent under
 * that name: see lib/server/http/server-hooks.ts); X-Forwarded-For is read only as far as TRUSTED_PROXY_COUNT
 * proxies vouch for it.
 */
export const PEER_HEADER = 'x-gatehouse-peer-address';

/** The client's address: the connection's, or the entry the last trusted proxy appended. */
export function clientAddress(headers: Pick<Headers, 'get'>, trustedProxyCount: number): string {
  const peer = headers.get(PEER_HEADER) ?? 'unknown';
  if (trustedProxyCount === 0) return peer;
  const chain = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  // Each trusted proxy appends the address it saw; the one the nearest proxy saw is last.
  const candidate = chain[chain.length - trustedProxyCount];
  return candidate && isIP(candidate) ? candidate : peer;
}

/** Who made a request, as the audit trail records it: the client's address and what it says it is (printable, at most 200 characters). */
export function requestClient(headers: Pick<Headers, 'get'>, trustedProxyCount: number): { address: string; userAgent?: string } {
  const agent = (headers.get('user-agent') ?? '').replace(/[^\x20-\x7e]/g, '').trim().slice(0, 200);
  return { address: clientAddress(headers, trustedProxyCount), ...(agent ? { userAgent: agent } : {}) };
}
