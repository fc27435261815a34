import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cliInputs, cliIsCurrent, forbiddenInputs, writeBuildRecord } from '../../scripts/build-cli';

/**
 * What goes into the `gatehouse` bundle: the command and the zod-free rules of lib/shared it imports,
 * never server code or full zod (a lint rule on cli/, and the build refuses such a bundle); and the
 * rebuild check hashes every file the bundle is made of, not only cli/.
 */

const ROOT = path.resolve(__dirname, '../..');

describe('the bundle\'s inputs', () => {
  let inputs: string[];
  beforeAll(async () => {
    inputs = await cliInputs(ROOT);
  });

  it('are the command and the portal\'s own rules from lib/shared, with no server code and no full zod', () => {
    expect(inputs).toEqual(expect.arrayContaining(['cli/bin.ts', 'lib/shared/aws-names.ts', 'lib/shared/partitions.ts', 'lib/shared/instances.ts', 'lib/shared/credential-text.ts', 'lib/shared/errors.ts', 'lib/shared/search.ts']));
    expect(forbiddenInputs(inputs)).toEqual([]);
    expect(inputs.filter((input) => input.startsWith('lib/') && !input.startsWith('lib/shared/'))).toEqual([]);
    expect(inputs.some((input) => input.includes('node_modules/zod/v4/mini/'))).toBe(true);
  });

  it('would be refused with server code, full zod, or the page\'s components in them', () => {
    expect(
      forbiddenInputs(['cli/bin.ts', 'lib/server/core/config.ts', 'node_modules/zod/v4/classic/schemas.js', 'components/accounts/listing-state.ts', 'node_modules/server-only/index.js', 'lib/shared/aws-names.ts']),
    ).toEqual(['lib/server/core/config.ts', 'node_modules/zod/v4/classic/schemas.js', 'components/accounts/listing-state.ts', 'node_modules/server-only/index.js']);
  });
});

describe('the lint rule on cli/', () => {
  // The project's own configuration, without the type-aware parser settings a file that does not exist cannot satisfy.
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: [
      {
        files: ['cli/**'],
        languageOptions: { parserOptions: { projectService: false } },
        rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
      },
    ],
  });
  const problems = async (code: string) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, 'cli', 'probe.ts') });
    return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
  };

  it('keeps lib/server (by alias or relative path) and full zod out, and lets zod/mini and lib/shared in', async () => {
    for (const source of ["'@/lib/server/core/config'", "'../lib/server/core/config'", "'../../lib/server/dal/accounts'", "'zod'", "'zod/v4'", "'server-only'", "'../components/accounts/listing-state'"]) {
      expect(await problems(`import * as x from ${source};\nexport default x;\n`), source).toHaveLength(1);
    }
    expect(await problems("export { ERRORS } from '../lib/server/core/errors';\n")).toHaveLength(1);
    for (const source of ["'zod/mini'", "'../lib/shared/aws-names'", "'node:fs'", "'commander'"]) {
      expect(await problems(`import * as x from ${source};\nexport default x;\n`), source).toEqual([]);
    }
  });
});

describe('the rebuild check', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'gatehouse-build-check-'));
    mkdirSync(path.join(root, 'cli'));
    mkdirSync(path.join(root, 'lib', 'shared'), { recursive: true });
    mkdirSync(path.join(root, 'scripts'));
    mkdirSync(path.join(root, 'public', 'cli'), { recursive: true });
    writeFileSync(path.join(root, 'cli', 'bin.ts'), "import { RULE } from '../lib/shared/rule';\nconsole.log(RULE.test('x'));\n");
    writeFileSync(path.join(root, 'lib', 'shared', 'rule.ts'), 'export const RULE = /^x$/;\n');
    for (const file of ['scripts/build-cli.ts', 'package.json', 'package-lock.json', 'public/cli/gatehouse.tgz', 'public/cli/gatehouse.mjs']) writeFileSync(path.join(root, file), '{}\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('sees a change to a lib/shared rule the command imports, not only to cli/', async () => {
    const inputs = await cliInputs(root);
    expect(inputs).toEqual(['cli/bin.ts', 'lib/shared/rule.ts']);
    writeBuildRecord(root, inputs);
    expect(cliIsCurrent(root)).toBe(true);
    writeFileSync(path.join(root, 'lib', 'shared', 'rule.ts'), 'export const RULE = /^y$/;\n');
    expect(cliIsCurrent(root)).toBe(false);
    writeBuildRecord(root, await cliInputs(root));
    expect(cliIsCurrent(root)).toBe(true);
    writeFileSync(path.join(root, 'cli', 'bin.ts'), "import { RULE } from '../lib/shared/rule';\nconsole.log(RULE.test('z'));\n");
    expect(cliIsCurrent(root)).toBe(false);
  });
});
