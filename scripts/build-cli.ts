/**
 * Builds the `gatehouse` command: bundles cli/ (and the lib/shared rules it imports) into one file with
 * no runtime dependency (esbuild), served as it is at /cli/gatehouse.mjs (public/cli/gatehouse.mjs: a
 * single file to download, no npm and no root needed) and packed as the npm package the portal serves
 * at /cli/gatehouse.tgz (public/cli/gatehouse.tgz), of the portal's own version. Skips both when
 * nothing the bundle is made of has changed. Refuses a bundle that would carry server code or full zod.
 *
 *   npx tsx scripts/build-cli.ts [--force]
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build, type BuildOptions, type Metafile } from 'esbuild';
import { z } from 'zod';

export const CLI_TARBALL = path.join('public', 'cli', 'gatehouse.tgz');
export const CLI_SINGLE_FILE = path.join('public', 'cli', 'gatehouse.mjs');
/** Everything this script puts in public/: built, not sources. */
export const CLI_FILES = [CLI_TARBALL, CLI_SINGLE_FILE];
const HASH_FILE = path.join('node_modules', '.cache', 'gatehouse', 'cli-source-hash');

const rootPackageSchema = z.object({ version: z.string(), license: z.string() });

/** The bundle's esbuild options (`outfile` aside): one ESM file for Node.js 20.9 with everything in it. */
function bundleOptions(root: string): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [path.join(root, 'cli', 'bin.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.9',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    // Bundled CommonJS packages call require() for Node's own modules, which ESM output lacks.
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __gatehouseRequire } from 'node:module';\nconst require = __gatehouseRequire(import.meta.url);" },
  };
}

/** The files the bundle is made of (esbuild's metafile inputs, relative to the root): cli/, the lib/shared modules it imports, its libraries. */
export async function cliInputs(root: string): Promise<string[]> {
  const result = await build({ ...bundleOptions(root), write: false, outfile: path.join(root, 'gatehouse.mjs') });
  return Object.keys(result.metafile?.inputs ?? {}).sort();
}

/**
 * Inputs that must never be in the bundle: server code (secrets, the server's own modules) and full
 * zod (zod/mini only: full zod would make every start of the command slower).
 */
export function forbiddenInputs(inputs: readonly string[]): string[] {
  return inputs.filter((input) => /(^|\/)lib\/server\//.test(input) || /node_modules\/zod\/(v4\/classic|v3)\//.test(input) || /(^|\/)(app|components)\//.test(input) || /node_modules\/server-only\//.test(input));
}

/** What the command is made of: every input of the bundle, this script, the locked dependencies and the version. */
export function cliSourceHash(root: string, inputs: readonly string[]): string {
  const files = [...new Set([...inputs, path.join('scripts', 'build-cli.ts'), 'package.json', 'package-lock.json'])].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const absolute = path.join(root, file);
    hash.update(file).update('\0').update(existsSync(absolute) ? readFileSync(absolute) : 'missing').update('\0');
  }
  return hash.digest('hex');
}

const hashRecordSchema = z.object({ hash: z.string(), inputs: z.array(z.string()) });

/** Records what a build was made of, for cliIsCurrent. */
export function writeBuildRecord(root: string, inputs: readonly string[]): void {
  mkdirSync(path.dirname(path.join(root, HASH_FILE)), { recursive: true });
  writeFileSync(path.join(root, HASH_FILE), `${JSON.stringify({ hash: cliSourceHash(root, inputs), inputs })}\n`);
}

/**
 * Whether the built files match the sources: the inputs of the last build hashed again. A new import
 * changes the file that makes it, so the inputs recorded then cover whatever the bundle would take now.
 */
export function cliIsCurrent(root: string): boolean {
  const hashFile = path.join(root, HASH_FILE);
  if (!CLI_FILES.every((file) => existsSync(path.join(root, file))) || !existsSync(hashFile)) return false;
  let record: z.infer<typeof hashRecordSchema>;
  try {
    record = hashRecordSchema.parse(JSON.parse(readFileSync(hashFile, 'utf8')));
  } catch {
    return false;
  }
  return record.hash === cliSourceHash(root, record.inputs);
}

/** The licence texts of the bundled packages, from esbuild's list of inputs. */
function thirdPartyLicences(root: string, metafile: Metafile): string {
  const packages = new Map<string, string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match?.[1]) packages.set(path.join(root, match[1]), match[1]);
  }
  const sections: string[] = [];
  for (const directory of [...packages.keys()].sort()) {
    const manifest = z.object({ name: z.string(), version: z.string(), license: z.string().optional() }).parse(
      JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')),
    );
    const licenceFile = readdirSync(directory).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
    const text = licenceFile ? readFileSync(path.join(directory, licenceFile), 'utf8').trim() : `Licence: ${manifest.license ?? 'see the package'}`;
    sections.push(`${manifest.name}@${manifest.version} (${manifest.license ?? 'unknown'})\n\n${text}`);
  }
  return `The gatehouse command bundles these packages:\n\n${sections.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`;
}

const PACKAGE_README = (version: string) => `# gatehouse ${version}

The terminal command of a Gatehouse portal: short-lived AWS credentials for your IAM Identity Center
roles, through the portal (which holds the AWS tokens; this machine keeps only a Gatehouse token).

    gatehouse login --portal https://gatehouse.example.com
    gatehouse --help

Install it from your portal, without root: \`npm install -g --prefix ~/.local <portal>/cli/gatehouse.tgz\`
(with ~/.local/bin on your PATH), or download the single file \`<portal>/cli/gatehouse.mjs\` as
~/.local/bin/gatehouse and make it executable. The portal's Terminal page has both.
`;

/** Bundles and packs; returns the tarball's path. */
export async function buildCli(root: string, options: { force?: boolean; log?: (line: string) => void } = {}): Promise<string> {
  const tarball = path.join(root, CLI_TARBALL);
  const log = options.log ?? ((line: string) => console.log(line));
  if (!options.force && cliIsCurrent(root)) return tarball;
  const { version, license } = rootPackageSchema.parse(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')));
  const stage = mkdtempSync(path.join(tmpdir(), 'gatehouse-cli-'));
  try {
    const result = await build({ ...bundleOptions(root), outfile: path.join(stage, 'package', 'gatehouse.mjs') });
    const metafile = result.metafile ?? { inputs: {}, outputs: {} };
    const inputs = Object.keys(metafile.inputs).sort();
    const forbidden = forbiddenInputs(inputs);
    if (forbidden.length > 0) throw new Error(`The gatehouse command must not bundle server code or full zod: ${forbidden.join(', ')}`);
    const packageDir = path.join(stage, 'package');
    writeFileSync(
      path.join(packageDir, 'package.json'),
      `${JSON.stringify(
        {
          name: 'gatehouse',
          version,
          description: 'The terminal command of a Gatehouse portal: short-lived AWS credentials for IAM Identity Center roles.',
          license,
          type: 'module',
          bin: { gatehouse: 'gatehouse.mjs' },
          files: ['gatehouse.mjs', 'README.md', 'THIRD-PARTY-LICENSES.txt'],
          engines: { node: '>=20.9.0' },
        },
        null,
        2,
      )}\n`,
    );
    writeFileSync(path.join(packageDir, 'README.md'), PACKAGE_README(version));
    writeFileSync(path.join(packageDir, 'THIRD-PARTY-LICENSES.txt'), thirdPartyLicences(root, metafile));
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', stage], {
      cwd: packageDir,
      encoding: 'utf8',
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
    });
    const [{ filename }] = z.array(z.object({ filename: z.string() })).length(1).parse(JSON.parse(packed)) as [{ filename: string }];
    mkdirSync(path.dirname(tarball), { recursive: true });
    cpSync(path.join(stage, filename), tarball);
    // The single file, runnable as it is (`#!/usr/bin/env node`) once downloaded and made executable.
    cpSync(path.join(packageDir, 'gatehouse.mjs'), path.join(root, CLI_SINGLE_FILE));
    chmodSync(path.join(root, CLI_SINGLE_FILE), 0o755);
    writeBuildRecord(root, inputs);
    const bundleBytes = statSync(path.join(packageDir, 'gatehouse.mjs')).size;
    log(`Built the gatehouse command ${version}: ${CLI_TARBALL} (bundle ${(bundleBytes / 1024).toFixed(0)} KB).`);
    return tarball;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCli(process.cwd(), { force: process.argv.includes('--force') });
}
