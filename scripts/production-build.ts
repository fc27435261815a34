/**
 * Builds the production app when the build is missing or stale. "Stale" is decided by a hash of
 * every file the build reads, because a fresh git clone gives every file a new mtime. The `gatehouse`
 * command's package (public/cli/gatehouse.tgz, scripts/build-cli.ts) is built first, so the portal
 * always has it to serve.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildCli, CLI_FILES } from './build-cli';

const SOURCE_DIRECTORIES = ['app', 'components', 'lib', 'public'];
const SOURCE_FILES = [
  'next.config.mjs',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
  'instrumentation.ts',
  'proxy.ts',
];

function listFiles(root: string, directory: string): string[] {
  const absolute = path.join(root, directory);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(directory, entry.name);
    if (entry.isDirectory()) return listFiles(root, relative);
    return entry.isFile() ? [relative] : [];
  });
}

/** The command's files are built from cli/ (scripts/build-cli.ts has its own staleness check), not by Next. */
const NOT_SOURCES = new Set(CLI_FILES);

export function sourceHash(root: string): string {
  const files = [
    ...SOURCE_DIRECTORIES.flatMap((directory) => listFiles(root, directory)).filter((file) => !NOT_SOURCES.has(file)),
    ...SOURCE_FILES.filter((file) => existsSync(path.join(root, file)) && statSync(path.join(root, file)).isFile()),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file).update('\0').update(readFileSync(path.join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

/** Where the build goes: `.next`, unless NEXT_DIST_DIR names another folder (as next.config.mjs does). */
export function distDir(): string {
  return process.env.NEXT_DIST_DIR || '.next';
}

export function buildIsCurrent(root: string): boolean {
  const hashFile = path.join(root, distDir(), 'gatehouse-source-hash');
  if (!existsSync(path.join(root, distDir(), 'BUILD_ID')) || !existsSync(hashFile)) return false;
  return readFileSync(hashFile, 'utf8').trim() === sourceHash(root);
}

export function nextBin(root: string): string {
  return createRequire(path.join(root, 'package.json')).resolve('next/dist/bin/next');
}

/**
 * The standalone server (`node .next/standalone/server.js`) serves static files only from beside
 * itself; copy them there, as the Dockerfile does, so it runs as built.
 */
function completeStandalone(root: string): void {
  const standalone = path.join(root, distDir(), 'standalone');
  if (!existsSync(standalone)) return;
  const staticTarget = path.join(standalone, distDir(), 'static');
  rmSync(staticTarget, { recursive: true, force: true });
  cpSync(path.join(root, distDir(), 'static'), staticTarget, { recursive: true });
  if (existsSync(path.join(root, 'public'))) cpSync(path.join(root, 'public'), path.join(standalone, 'public'), { recursive: true });
}

/** The command's files beside the standalone server too, when the server was built before they changed. */
function refreshStandaloneCli(root: string): void {
  const standalone = path.join(root, distDir(), 'standalone');
  if (!existsSync(standalone)) return;
  for (const file of CLI_FILES) cpSync(path.join(root, file), path.join(standalone, file));
}

/** Returns true when a build ran. Exits the process when the build fails. */
export async function ensureProductionBuild(root: string): Promise<boolean> {
  await buildCli(root);
  if (buildIsCurrent(root)) {
    refreshStandaloneCli(root);
    return false;
  }
  console.log('Building the production app (the build is missing or older than the sources) …');
  const result = spawnSync(process.execPath, [nextBin(root), 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('The production build failed.');
    process.exit(result.status ?? 1);
  }
  completeStandalone(root);
  writeFileSync(path.join(root, distDir(), 'gatehouse-source-hash'), `${sourceHash(root)}\n`);
  return true;
}

// `tsx scripts/production-build.ts` builds when needed (used by `npm test`).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await ensureProductionBuild(process.cwd());
  if (!built) console.log('The production build is current.');
}
