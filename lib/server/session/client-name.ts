import 'server-only';

/**
 * The name Identity Center shows on its approval page. Naming the portal's host (PUBLIC_URL's,
 * never a request's Host header) lets a person notice when someone else's portal asks for their
 * sign-in.
 */
export function clientName(host: string): string {
  return `Gatehouse (${host})`;
}
