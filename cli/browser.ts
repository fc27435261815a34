/** Opening a link in a browser, only where there is one to open it in. */
import type { Environment } from './environment';
import { spawn } from 'node:child_process';

/**
 * The program that opens a link on this machine's desktop, or undefined where there is none: on Linux
 * and the BSDs only in a graphical session (DISPLAY or WAYLAND_DISPLAY), on macOS and Windows only
 * outside an SSH session (a browser would open on a screen the person is not at).
 */
export function browserOpener(platform: NodeJS.Platform, env: Environment): string[] | undefined {
  const overSsh = Boolean(env.SSH_CONNECTION || env.SSH_CLIENT || env.SSH_TTY);
  if (platform === 'darwin') return overSsh ? undefined : ['open'];
  if (platform === 'win32') return overSsh ? undefined : ['rundll32', 'url.dll,FileProtocolHandler'];
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return ['xdg-open'];
  return undefined;
}

/** Starts the opener in the background; true when one was started (it may still fail: the link is printed anyway). */
export function openInBrowser(url: string, platform: NodeJS.Platform, env: Environment): boolean {
  const opener = browserOpener(platform, env);
  if (!opener) return false;
  const [command, ...args] = opener;
  if (!command) return false;
  try {
    const child = spawn(command, [...args, url], { detached: true, stdio: 'ignore', env: { ...env } as NodeJS.ProcessEnv });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
