/**
 * Where the console shortcut may send someone (no open redirect): a path on the console, or an
 * https URL on an AWS console host, 2,048 characters at most. One rule for the page's form and the
 * server's check. No zod here: this module is in the browser bundle.
 */
export const CONSOLE_HOSTS = ['console.aws.amazon.com', 'console.amazonaws.cn', 'console.amazonaws-us-gov.com'] as const;

export const MAX_DESTINATION_LENGTH = 2048;

export function isConsoleDestination(value: string): boolean {
  if (value.length > MAX_DESTINATION_LENGTH) return false;
  if (/^\/(?!\/)[^\s\\]*$/.test(value)) return true;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && CONSOLE_HOSTS.some((host) => url.hostname === host || url.hostname.endsWith(`.${host}`));
  } catch {
    return false;
  }
}
