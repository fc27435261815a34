/** The command's own version (the portal's package.json version at build time) and the comparison with the portal's. */
import { realpathSync } from 'node:fs';

import { version } from '../package.json';

export const CLI_VERSION: string = version;

interface Parsed {
  core: [number, number, number];
  prerelease: string[];
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function parse(text: string): Parsed | undefined {
  const match = SEMVER.exec(text.trim());
  if (!match) return undefined;
  return {
    core: [Number(match[1]), Number(match[2]), Number(match[3])],
    prerelease: match[4] ? match[4].split('.') : [],
  };
}

function comparePrerelease(a: string[], b: string[]): number {
  // A release is newer than any of its prereleases (1.0.0 > 1.0.0-rc.1).
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^\d+$/.test(x) ? Number(x) : undefined;
    const yn = /^\d+$/.test(y) ? Number(y) : undefined;
    if (xn !== undefined && yn !== undefined) {
      if (xn !== yn) return xn < yn ? -1 : 1;
    } else if (xn !== undefined) return -1;
    else if (yn !== undefined) return 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Semantic-version order of two versions: -1, 0 or 1; undefined when either is not a version. */
export function compareVersions(a: string, b: string): number | undefined {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < 3; i += 1) {
    if (x.core[i] !== y.core[i]) return (x.core[i] ?? 0) < (y.core[i] ?? 0) ? -1 : 1;
  }
  return comparePrerelease(x.prerelease, y.prerelease);
}

/** A path as a shell word: plain when it can be, else single-quoted. */
const shellPath = (file: string) => (/^[\w@%+=:,./-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`);

/**
 * The command that updates this very install: npm into the prefix it was installed in (a prefix of
 * the person's own, such as ~/.local, needs no root), or the single file downloaded over itself.
 */
export function updateCommand(portalUrl: string, runningScript?: string): string {
  if (runningScript) {
    try {
      // npm's bin entry is a link to the package's file: where it is says how it was installed.
      runningScript = realpathSync(runningScript);
    } catch {
      // kept as given
    }
  }
  const npmPrefix = runningScript ? /^(.+)\/lib\/node_modules\/gatehouse\/gatehouse\.mjs$/.exec(runningScript)?.[1] : undefined;
  if (npmPrefix) return `npm install -g --prefix ${shellPath(npmPrefix)} ${portalUrl}/cli/gatehouse.tgz`;
  if (runningScript && !runningScript.includes('/node_modules/')) return `curl -fsSL -o ${shellPath(runningScript)} ${portalUrl}/cli/gatehouse.mjs`;
  return `npm install -g ${portalUrl}/cli/gatehouse.tgz`;
}

/** The line that tells how to update, when the portal runs a newer version than this command; else undefined. */
export function updateNotice(portalVersion: string, portalUrl: string, ownVersion: string = CLI_VERSION, runningScript?: string): string | undefined {
  if (compareVersions(portalVersion, ownVersion) !== 1) return undefined;
  return `gatehouse ${portalVersion.trim()} is available (this is ${ownVersion}): ${updateCommand(portalUrl, runningScript)}`;
}
