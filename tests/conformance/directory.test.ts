/**
 * The emulator's directory: the committed demo organisation, the deterministic generator, the loader's
 * error messages, and the two command-line tools (generate-cli, cli).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import {
  accountsOfUser,
  buildDemoDirectory,
  DEMO_DIRECTORY_PATH,
  DEMO_START_URL,
  generateOrganisation,
  loadDemoDirectory,
  loadDirectoryFile,
  parseDirectory,
  rolesOfUser,
} from '../../emulator/directory';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const scratch = mkdtempSync(path.join(tmpdir(), 'emulator-directory-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tsx script to completion (async, so nothing here blocks the event loop). */
function run(script: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('demo directory', () => {
  const demo = loadDemoDirectory();

  test('the committed demo.json is exactly what the generator builds', () => {
    expect(JSON.parse(readFileSync(DEMO_DIRECTORY_PATH, 'utf8'))).toEqual(buildDemoDirectory());
  });

  test('operator has 120 accounts with 1 to 4 roles each; developer 4; newcomer none', () => {
    expect(demo.startUrl).toBe(DEMO_START_URL);
    expect(demo.users.map((u) => u.userName)).toEqual(['operator', 'developer', 'newcomer']);
    const operator = accountsOfUser(demo, 'operator');
    expect(operator).toHaveLength(120);
    const counts = new Set(operator.map((a) => rolesOfUser(demo, 'operator', a.accountId).length));
    expect([...counts].sort()).toEqual([1, 2, 3, 4]);
    expect(accountsOfUser(demo, 'developer')).toHaveLength(4);
    expect(accountsOfUser(demo, 'newcomer')).toHaveLength(0);
  });

  test('names look like a real organisation', () => {
    for (const account of demo.accounts) {
      expect(account.accountName).toMatch(/^[a-z]+(-[a-z]+)*-(prod|staging|dev|qa)$/);
      expect(account.emailAddress).toMatch(/^aws\+[a-z-]+@example\.com$/);
    }
    expect(demo.accounts.map((a) => a.accountName)).toContain('payments-prod');
    expect(demo.roles.map((r) => r.roleName)).toEqual(expect.arrayContaining(['AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess', 'Billing', 'DataScientist']));
  });
});

describe('generateOrganisation', () => {
  test('is deterministic for a seed and differs across seeds', () => {
    const a = generateOrganisation({ accounts: 200, rolesPerAccount: 2, seed: 5 });
    expect(generateOrganisation({ accounts: 200, rolesPerAccount: 2, seed: 5 })).toEqual(a);
    expect(generateOrganisation({ accounts: 200, rolesPerAccount: 2, seed: 6 })).not.toEqual(a);
  });

  test('builds 5,000 accounts x 3 roles for operator, valid and with unique ids and names', () => {
    const big = parseDirectory(generateOrganisation({ accounts: 5000, rolesPerAccount: 3, seed: 1 }));
    expect(big.accounts).toHaveLength(5000);
    expect(big.assignments).toHaveLength(15_000);
    expect(new Set(big.accounts.map((a) => a.accountId)).size).toBe(5000);
    expect(new Set(big.accounts.map((a) => a.accountName)).size).toBe(5000);
    expect(accountsOfUser(big, 'operator')).toHaveLength(5000);
  });

  test('several users share the assignments; impossible role counts are refused', () => {
    const org = generateOrganisation({ accounts: 3, rolesPerAccount: { min: 1, max: 2 }, users: ['a', 'b'], seed: 1 });
    expect(accountsOfUser(org, 'a')).toEqual(accountsOfUser(org, 'b'));
    expect(() => generateOrganisation({ accounts: 3, rolesPerAccount: 99, seed: 1 })).toThrow(/rolesPerAccount/);
  });
});

describe('loader errors name the problem', () => {
  const valid = generateOrganisation({ accounts: 2, rolesPerAccount: 1, seed: 1 });

  function write(name: string, text: string): string {
    const file = path.join(scratch, name);
    writeFileSync(file, text);
    return file;
  }

  test('missing file, bad JSON, bad field, dangling reference, duplicate', () => {
    expect(() => loadDirectoryFile(path.join(scratch, 'absent.json'))).toThrow(/Cannot read directory file ".*absent\.json" \(ENOENT\)/);
    expect(() => loadDirectoryFile(write('bad.json', '{"users": ['))).toThrow(/is not valid JSON/);
    const badId = { ...valid, accounts: [{ ...valid.accounts[0], accountId: '12ab' }] };
    expect(() => loadDirectoryFile(write('id.json', JSON.stringify(badId)))).toThrow(/accounts\.0\.accountId: must be exactly 12 digits/);
    const dangling = { ...valid, assignments: [{ userName: 'operator', accountId: '999999999999', roleName: valid.roles[0]?.roleName }] };
    expect(() => loadDirectoryFile(write('dangling.json', JSON.stringify(dangling)))).toThrow(/assignments\.0\.accountId: unknown account "999999999999"/);
    const duplicate = { ...valid, users: [...valid.users, ...valid.users] };
    expect(() => loadDirectoryFile(write('dup.json', JSON.stringify(duplicate)))).toThrow(/duplicate userName "operator"/);
    const noStart = { ...valid, startUrl: undefined };
    expect(() => loadDirectoryFile(write('start.json', JSON.stringify(noStart)))).toThrow(/startUrl/);
  });
});

describe('command-line tools', () => {
  test('generate-cli writes the organisation generateOrganisation describes', async () => {
    const out = path.join(scratch, 'org.json');
    const result = await run('emulator/generate-cli.ts', ['--accounts', '50', '--roles', '2', '--seed', '3', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('50 accounts');
    expect(loadDirectoryFile(out)).toEqual(generateOrganisation({ accounts: 50, rolesPerAccount: 2, seed: 3 }));
  });

  test('generate-cli names a bad flag and exits 2', async () => {
    const result = await run('emulator/generate-cli.ts', ['--accounts', 'many']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--accounts: must be a whole number');
  });

  test('cli prints its URL, serves, and stops cleanly on SIGTERM', async () => {
    const child = spawn(tsx, ['emulator/cli.ts', '--port', '0', '--quiet'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(buffer);
        if (match?.[1]) resolve(match[1]);
      });
      child.on('close', (code) => reject(new Error(`cli exited (${code}) before listening`)));
    });
    const health = await fetch(`${url}/__emulator/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  test('cli names a bad flag value and exits 2', async () => {
    const cases = [
      [['--rate-limit', 'fast'], '--rate-limit: must be a number'],
      [['--fault-rate', '1.5'], '--fault-rate: must be at most 1'],
      [['--public-url', 'not a url'], '--public-url'],
      [['--directory', path.join(scratch, 'absent.json')], '--directory: Cannot read directory file'],
      [['--bogus'], "Unknown option '--bogus'"],
    ] as const;
    const results = await Promise.all(cases.map(([args]) => run('emulator/cli.ts', [...args])));
    results.forEach((result, i) => {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(cases[i]?.[1]);
    });
  });
});
