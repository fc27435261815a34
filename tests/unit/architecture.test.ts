import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The shape of the server code, checked as code is: lib/server is layered, each layer importing
 * only the layers below it (and its own folder), with no import cycle anywhere; and no file in
 * app/, components/ or lib/ grows past 400 lines.
 */

const ROOT = path.resolve(__dirname, '../..');

function filesUnder(directory: string): string[] {
  return readdirSync(path.join(ROOT, directory)).flatMap((name) => {
    const relative = path.join(directory, name);
    if (statSync(path.join(ROOT, relative)).isDirectory()) return filesUnder(relative);
    return /\.(ts|tsx)$/.test(name) ? [relative] : [];
  });
}

/** The lib/server module an import names, as a path relative to the repository (without extension). */
function resolveImport(from: string, specifier: string): string | undefined {
  let target: string;
  if (specifier.startsWith('@/')) target = specifier.slice(2);
  else if (specifier.startsWith('.')) target = path.join(path.dirname(from), specifier);
  else return undefined;
  return target.startsWith('lib/server/') ? target.replace(/\.(ts|tsx)$/, '') : undefined;
}

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  // Single or double quotes alike: `from '@/lib/server/x'`, `from "../x"`, `import('./x')`.
  const specifiers = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+(['"])([^'"]+)\1|(?:^|\n)\s*import\s+(['"])([^'"]+)\3|import\((['"])([^'"]+)\5\)/g),
  ].map((match) => match[2] ?? match[4] ?? match[6] ?? '');
  return specifiers.flatMap((specifier) => resolveImport(file, specifier) ?? []);
}

/**
 * The layers, lowest first. A module may import its own folder and anything in a lower layer.
 * `core` is configuration, errors, crypto, logs and metrics; above it the store and the AWS
 * adapters; then sessions, the listing, kept credentials, preferences and the audit trail; the one
 * services container; the viewer (who is asking); the front door (dal); the HTTP layer routes use;
 * start-up.
 */
const LAYERS: [string, number][] = [
  ['lib/server/core/', 0],
  ['lib/server/store/', 1],
  ['lib/server/aws/', 1],
  ['lib/server/session/', 2],
  ['lib/server/listing/', 2],
  ['lib/server/credentials/', 2],
  ['lib/server/preferences/', 2],
  ['lib/server/audit', 2],
  ['lib/server/services', 3],
  ['lib/server/viewer', 4],
  ['lib/server/dal/', 5],
  ['lib/server/http/', 6],
  ['lib/server/startup', 7],
];

function layerOf(name: string): { name: string; rank: number } {
  const found = LAYERS.find(([prefix]) => name.startsWith(prefix));
  if (!found) throw new Error(`${name} belongs to no layer: add it to LAYERS`);
  return { name: found[0], rank: found[1] };
}

const serverModules = filesUnder('lib/server').map((file) => ({ file, name: file.replace(/\.(ts|tsx)$/, ''), imports: importsOf(file) }));

describe('lib/server', () => {
  it('imports downward only: each layer uses its own folder and the layers below it', () => {
    const upward = serverModules.flatMap(({ name, imports }) =>
      imports
        .filter((target) => {
          const from = layerOf(name);
          const to = layerOf(target);
          return to.name !== from.name && to.rank >= from.rank;
        })
        .map((target) => `${name} → ${target}`),
    );
    expect(upward).toEqual([]);
  });

  it('has no import cycle', () => {
    const graph = new Map(serverModules.map(({ name, imports }) => [name, imports]));
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, trail: string[]) => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(name)), name].join(' → '));
        return;
      }
      state.set(name, 'visiting');
      for (const next of graph.get(name) ?? []) visit(next, [...trail, name]);
      state.set(name, 'done');
    };
    for (const name of graph.keys()) visit(name, []);
    expect(cycles).toEqual([]);
  });

  it('starts every module with the server-only guard', () => {
    const unguarded = serverModules.filter(({ file }) => !readFileSync(path.join(ROOT, file), 'utf8').startsWith("import 'server-only';"));
    expect(unguarded.map(({ file }) => file)).toEqual([]);
  });
});

describe('file size', () => {
  it('keeps every file in app/, components/, lib/, cli/ and emulator/ under 400 lines', () => {
    const long = ['app', 'components', 'lib', 'cli', 'emulator']
      .flatMap(filesUnder)
      .map((file) => ({ file, lines: readFileSync(path.join(ROOT, file), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 400);
    expect(long).toEqual([]);
  });
});

describe('the front-door lint rules', () => {
  // The project's own configuration, without the type-aware parser settings a file that does not exist cannot satisfy.
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: [
      {
        files: ['app/**', 'components/**', 'lib/shared/**'],
        languageOptions: { parserOptions: { projectService: false } },
        rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
      },
    ],
  });
  const problems = async (file: string, source: string) => {
    const [result] = await eslint.lintText(`import * as x from ${source};\nexport default x;\n`, { filePath: path.join(ROOT, file) });
    return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports');
  };

  it('keep routes and pages to lib/server/dal and lib/server/http, by alias or by relative path', async () => {
    const route = 'app/api/probe/route.ts';
    for (const source of ["'@/lib/server/viewer'", "'../../../lib/server/viewer'", "'../../lib/server/services'", "'@/lib/server/core/config'"]) {
      expect(await problems(route, source), source).toHaveLength(1);
    }
    for (const source of ["'@/lib/server/dal/accounts'", "'../../../lib/server/http/route'", "'@/lib/shared/errors'"]) {
      expect(await problems(route, source), source).toEqual([]);
    }
  });

  it('keep server code out of the browser, by alias or by relative path', async () => {
    for (const file of ['components/probe.tsx', 'lib/shared/probe.ts']) {
      for (const source of ["'@/lib/server/dal/accounts'", "'../lib/server/viewer'", "'../../lib/server/core/config'"]) {
        expect(await problems(file, source), `${file} ${source}`).toHaveLength(1);
      }
      expect(await problems(file, "'@/lib/shared/errors'")).toEqual([]);
    }
  });
});
