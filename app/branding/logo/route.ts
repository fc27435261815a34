import { brandingLogo } from '@/lib/server/dal/portal';
import { notFoundError } from '@/lib/server/http/route';
import { errorResponse, otherMethods } from '@/lib/server/http/api';

export const dynamic = 'force-dynamic';

/**
 * The organisation's logo from the configuration (`branding.logo`), read at start-up. An SVG opened
 * on its own runs nothing: the portal's Content-Security-Policy (proxy.ts) allows no script without
 * the page's nonce.
 */
export async function GET(): Promise<Response> {
  const logo = brandingLogo();
  if (!logo) return errorResponse(notFoundError('No logo is configured.'));
  return new Response(new Uint8Array(logo.bytes), {
    headers: {
      'Content-Type': logo.contentType,
      'Cache-Control': 'public, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
