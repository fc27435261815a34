/**
 * Where the console shortcut may send someone (no open redirect): a path on the console, or an
 * https URL on an AWS console host, 2,048 characters at most. One rule for the page's form and the
 * server's check. No zod here: this module is in the browser bundle.
 */
import { consoleHostOf, REGION_PATTERN } from './partitions';

export { CONSOLE_HOSTS } from './partitions';

export const MAX_DESTINATION_LENGTH = 2048;

export function isConsoleDestination(value: string): boolean {
  if (value.length > MAX_DESTINATION_LENGTH) return false;
  if (/^\/(?!\/)[^\s\\]*$/.test(value)) return true;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && consoleHostOf(url.hostname) !== undefined;
  } catch {
    return false;
  }
}

/**
 * The region a console page names for itself: its host's region prefix
 * (`https://us-west-2.console.aws.amazon.com/ec2/home`), else its `region` query parameter
 * (`/ec2/home?region=eu-west-1`); undefined when it names none.
 */
export function regionOfDestination(destination: string): string | undefined {
  let url: URL;
  try {
    url = new URL(destination, 'https://console.aws.amazon.com');
  } catch {
    return undefined;
  }
  const host = consoleHostOf(url.hostname);
  if (host !== undefined && url.hostname !== host) {
    const prefix = url.hostname.slice(0, -(host.length + 1));
    if (REGION_PATTERN.test(prefix)) return prefix;
  }
  const region = url.searchParams.get('region');
  return region !== null && REGION_PATTERN.test(region) ? region : undefined;
}
