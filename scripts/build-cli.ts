/**
 * Builds the `gatehouse` command: bundles cli/ into one file with no runtime dependency (esbuild), and
 * packs it as the npm package the portal serves at /cli/gatehouse.tgz (public/cli/gatehouse.tgz), of
 * the portal's own version. Skips both when nothing the command is made of has changed.
 *
 *   npx tsx scripts/build-cli.ts [--force]
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build, type Metafile } from 'esbuild';
import { z } from 'zod';

export const CLI_TARBALL = path.join('public', 'cli', 'gatehouse.tgz');
const HASH_FILE = path.join('node_modules', '.cache', 'gatehouse', 'cli-source-hash');

const rootPackageSchema = z.object({ version: z.string(), license: z.string() });

function listFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? listFiles(full) : entry.isFile() ? [full] : [];
  });
}

/** What the command is made of: its sources, this script, the locked dependencies and the version. */
export function cliSourceHash(root: string): string {
  const files = [
    ...listFiles(path.join(root, 'cli')),
    path.join(root, 'scripts', 'build-cli.ts'),
    path.join(root, 'package.json'),
    path.join(root, 'package-lock.json'),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

export function cliIsCurrent(root: string): boolean {
  const hashFile = path.join(root, HASH_FILE);
  return existsSync(path.join(root, CLI_TARBALL)) && existsSync(hashFile) && readFileSync(hashFile, 'utf8').trim() === cliSourceHash(root);
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

Install it from your portal with \`npm install -g <portal>/cli/gatehouse.tgz\`.
`;

/** Bundles and packs; returns the tarball's path. */
export async function buildCli(root: string, options: { force?: boolean; log?: (line: string) => void } = {}): Promise<string> {
  const tarball = path.join(root, CLI_TARBALL);
  const log = options.log ?? ((line: string) => console.log(line));
  if (!options.force && cliIsCurrent(root)) return tarball;
  const { version, license } = rootPackageSchema.parse(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')));
  const stage = mkdtempSync(path.join(tmpdir(), 'gatehouse-cli-'));
  try {
    const result = await build({
      entryPoints: [path.join(root, 'cli', 'bin.ts')],
      outfile: path.join(stage, 'package', 'gatehouse.mjs'),
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
    });
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
    writeFileSync(path.join(packageDir, 'THIRD-PARTY-LICENSES.txt'), thirdPartyLicences(root, result.metafile));
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', stage], {
      cwd: packageDir,
      encoding: 'utf8',
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
    });
    const [{ filename }] = z.array(z.object({ filename: z.string() })).length(1).parse(JSON.parse(packed)) as [{ filename: string }];
    mkdirSync(path.dirname(tarball), { recursive: true });
    cpSync(path.join(stage, filename), tarball);
    mkdirSync(path.dirname(path.join(root, HASH_FILE)), { recursive: true });
    writeFileSync(path.join(root, HASH_FILE), `${cliSourceHash(root)}\n`);
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
