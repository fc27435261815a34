/**
 * The portal's own links for one role: its access keys page and its console shortcut. Shared by the
 * accounts list and the access keys page, so both always point at the same places.
 */

import { withInstance } from '@/lib/shared/instances';

const segment = (value: string) => encodeURIComponent(value);

/**
 * `/accounts/123456789012/AdministratorAccess`: the access keys page (a deep link people may share).
 * With several Identity Center instances, `?instance=` says whose role it is.
 */
export function accessKeysPath(accountId: string, roleName: string, instanceKey?: string): string {
  return withInstance(`/accounts/${segment(accountId)}/${segment(roleName)}`, instanceKey);
}

/**
 * `/console/123456789012/AdministratorAccess?region=eu-west-1&destination=%2Fec2%2Fhome&hours=8`: one
 * click (or a bookmark) from the portal into the AWS console for the role.
 */
export function consoleShortcutPath(
  accountId: string,
  roleName: string,
  options: { region?: string; destination?: string; sessionHours?: number; instanceKey?: string } = {},
): string {
  const query = new URLSearchParams();
  if (options.instanceKey) query.set('instance', options.instanceKey);
  if (options.region) query.set('region', options.region);
  if (options.destination) query.set('destination', options.destination);
  if (options.sessionHours !== undefined) query.set('hours', String(options.sessionHours));
  const search = query.toString();
  return `/console/${segment(accountId)}/${segment(roleName)}${search ? `?${search}` : ''}`;
}
