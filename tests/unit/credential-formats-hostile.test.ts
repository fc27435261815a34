import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { type CredentialsDTO, formatCredentials, UnsafeCredentialValueError } from '@/lib/shared/credential-formats';

/**
 * Credentials whose values try to become code, in every text format: each value stays inside its
 * quotes in that format's language (run in bash and fish, read by a PowerShell quoting reader), or
 * the format refuses it. Values in AWS's documented form are written exactly as before, which the
 * other credential tests compare with the AWS CLI.
 */

const workspace = mkdtempSync(path.join(tmpdir(), 'gatehouse-hostile-'));
const CANARY = path.join(workspace, 'ran');
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** What an attacker who controls Identity Center's answers would try, in every shell's syntax. */
const ATTACKS = [
  `ASIA$(touch ${CANARY})`,
  `ASIA\`touch ${CANARY}\``,
  `x'; touch ${CANARY}; echo '`,
  `x"; touch ${CANARY}; echo "`,
  `x\ntouch ${CANARY}\n`,
  `x\r\ntouch ${CANARY}`,
  `x\\\ntouch ${CANARY}`,
  `x$(touch ${CANARY})y`,
  `(touch ${CANARY})`,
  `x\\"; touch ${CANARY}; echo \\"`,
  `$HOME\${HOME}%PATH%!PATH!^&|<>`,
  `x’; New-Item ${CANARY}; ’`,
  `x‘$(New-Item ${CANARY})‘`,
  `'; $(touch ${CANARY}) #`,
];

/** Strings that may be a shell variable's value: no NUL, which no environment variable can hold. */
const hostile = fc.oneof(
  fc.constantFrom(...ATTACKS),
  fc.string({ unit: 'binary', maxLength: 40 }).filter((value) => !value.includes('\0')),
  fc.tuple(fc.constantFrom(...ATTACKS), fc.string({ unit: 'binary-ascii', maxLength: 10 })).map(([attack, noise]) => `${attack}${noise}`.replace(/\0/g, '')),
);

const credentialsOf = (accessKeyId: string, secretAccessKey: string, sessionToken: string): CredentialsDTO => ({
  accessKeyId,
  secretAccessKey,
  sessionToken,
  expiration: '2026-11-26T09:15:30Z',
});

/** Runs `text` in a shell and reads the three variables back, NUL-separated. */
function runIn(shell: 'bash' | 'fish', text: string): string[] {
  const file = path.join(workspace, `credentials.${shell}`);
  writeFileSync(file, text);
  const read =
    shell === 'bash'
      ? `. '${file}'; printf '%s\\0' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN"`
      : `source '${file}'; printf '%s\\0' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN"`;
  const result = spawnSync(shell === 'bash' ? '/bin/bash' : 'fish', shell === 'bash' ? ['--norc', '--noprofile', '-c', read] : ['--no-config', '-c', read], {
    cwd: workspace,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workspace, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', NODE_ENV: 'test' },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.split('\0').slice(0, 3);
}

describe('credential formats with hostile values', () => {
  it.each(['env', 'env-no-export'] as const)('keeps every value inside its quotes in bash (%s)', (format) => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (accessKeyId, secretAccessKey, sessionToken) => {
        const text = formatCredentials(credentialsOf(accessKeyId, secretAccessKey, sessionToken), format);
        expect(runIn('bash', text)).toEqual([accessKeyId, secretAccessKey, sessionToken]);
        expect(existsSync(CANARY)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps every value inside its quotes in fish', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (accessKeyId, secretAccessKey, sessionToken) => {
        const text = formatCredentials(credentialsOf(accessKeyId, secretAccessKey, sessionToken), 'fish');
        expect(runIn('fish', text)).toEqual([accessKeyId, secretAccessKey, sessionToken]);
        expect(existsSync(CANARY)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  /**
   * Reads `$Env:NAME=<string>` statements by PowerShell's own quoting rules: a double-quoted string
   * expands `$…` and backtick escapes, so it may hold none of them; a single-quoted one is literal,
   * with each of PowerShell's single-quote characters (' ‘ ’ ‚ ‛) doubled inside. A line break
   * outside quotes ends a statement. Throws where PowerShell would read anything but the string.
   */
  function readPowershell(text: string): string[] {
    const singleQuotes = "'\u2018\u2019\u201a\u201b";
    const values: string[] = [];
    let at = 0;
    while (at < text.length) {
      const name = /^\$Env:AWS_[A-Z_]+=/.exec(text.slice(at));
      if (!name) throw new Error(`not an assignment at ${at}: ${JSON.stringify(text.slice(at, at + 40))}`);
      at += name[0].length;
      let value = '';
      const open = text[at];
      if (open === '"') {
        const close = text.indexOf('"', at + 1);
        value = text.slice(at + 1, close);
        if (close < 0 || /[`$\u201c\u201d\u201e]/.test(value)) throw new Error(`code inside double quotes: ${value}`);
        at = close + 1;
      } else if (open !== undefined && singleQuotes.includes(open)) {
        at += 1;
        for (;;) {
          const character = text[at];
          if (character === undefined) throw new Error('unterminated string');
          if (singleQuotes.includes(character)) {
            const next = text[at + 1];
            if (next !== undefined && singleQuotes.includes(next)) {
              value += character;
              at += 2;
              continue;
            }
            at += 1;
            break;
          }
          value += character;
          at += 1;
        }
      } else {
        throw new Error('an unquoted value');
      }
      if (text[at] !== '\n') throw new Error(`text after the string: ${JSON.stringify(text.slice(at, at + 40))}`);
      at += 1;
      values.push(value);
    }
    return values;
  }

  it('keeps every value inside its quotes in PowerShell', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (accessKeyId, secretAccessKey, sessionToken) => {
        const text = formatCredentials(credentialsOf(accessKeyId, secretAccessKey, sessionToken), 'powershell');
        expect(readPowershell(text)).toEqual([accessKeyId, secretAccessKey, sessionToken, '2026-11-26T09:15:30+00:00']);
      }),
      { numRuns: 300 },
    );
  });

  it.each(['windows-cmd', 'dotenv', 'ini'] as const)('refuses values %s cannot quote, and writes AWS-shaped ones as before', (format) => {
    for (const attack of ATTACKS) {
      expect(() => formatCredentials(credentialsOf(attack, 'secret', 'token'), format)).toThrow(UnsafeCredentialValueError);
      expect(() => formatCredentials(credentialsOf('ASIAEXAMPLE', attack, 'token'), format)).toThrow(UnsafeCredentialValueError);
      expect(() => formatCredentials(credentialsOf('ASIAEXAMPLE', 'secret', attack), format)).toThrow(UnsafeCredentialValueError);
    }
    const plain = formatCredentials(credentialsOf('ASIAEXAMPLE123456789', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY=', 'IQoJb3JpZ2luX2Vj/+='), format);
    expect(plain).toContain('ASIAEXAMPLE123456789');
    expect(plain).not.toMatch(/['"]/);
  });

  it.each(['env', 'env-no-export', 'fish', 'powershell', 'windows-cmd', 'dotenv', 'ini'] as const)('refuses a NUL, which no %s line can hold', (format) => {
    expect(() => formatCredentials(credentialsOf('ASIA\0EXAMPLE', 'secret', 'token'), format)).toThrow(UnsafeCredentialValueError);
  });

  it('writes process JSON that parses back to the same values, whatever they are', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (accessKeyId, secretAccessKey, sessionToken) => {
        const parsed = JSON.parse(formatCredentials(credentialsOf(accessKeyId, secretAccessKey, sessionToken), 'process')) as Record<string, unknown>;
        expect([parsed.AccessKeyId, parsed.SecretAccessKey, parsed.SessionToken]).toEqual([accessKeyId, secretAccessKey, sessionToken]);
      }),
      { numRuns: 200 },
    );
  });
});
