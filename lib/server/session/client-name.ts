import 'server-only';

/**
 * The name Identity Center shows on its approval page. Naming the portal's host lets a person
 * notice when someone else's portal asks for their sign-in.
 */
export function clientName(host: string | null): string {
  return host ? `Gatehouse (${host})` : 'Gatehouse';
}
