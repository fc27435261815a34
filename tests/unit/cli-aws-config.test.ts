import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { BLOCK_END, blockStart, type ManagedProfile, mergeManagedBlock, readAwsConfig, sectionProfile, writeAwsConfig } from '../../cli/aws-config';
import { commandForProfiles, credentialProcessLine } from '../../cli/commands/config';

const PORTAL = 'https://gatehouse.example.com';
const START = blockStart(PORTAL, 'production');

const profile = (name: string, accountId = '111122223333', roleName = 'ReadOnly'): ManagedProfile => ({
  name,
  credentialProcess: credentialProcessLine('gatehouse', accountId, roleName, PORTAL, undefined),
  region: 'eu-west-1',
});

/** A file someone has lived with: comments, odd spacing, a [default], sso-session, services, a tab, no final newline. */
const FOREIGN = [
  '# my AWS config; hands off',
  '[default]',
  'region=us-east-1',
  '  output =   json  ',
  '',
  '; an old style comment',
  '[profile  legacy ]',
  '\taws_access_key_id = AKIA…',
  'credential_process = other-tool --x',
  '[sso-session corp]',
  'sso_start_url = https://d-1.awsapps.com/start',
  '[services local]',
  's3 =',
  '  endpoint_url = http://localhost:9000',
].join('\n');

describe('the managed block in ~/.aws/config', () => {
  it('appends the block after a file it has never seen, which stays byte for byte the start of the new file', () => {
    const merged = mergeManagedBlock(FOREIGN, START, [profile('core-prod.ReadOnly'), profile('payments.Admin', '222233334444', 'Admin')]);
    expect(merged.text.startsWith(FOREIGN)).toBe(true);
    expect(merged.text.slice(FOREIGN.length)).toBe(
      [
        '',
        '',
        START,
        '[profile core-prod.ReadOnly]',
        `credential_process = gatehouse credential-process --account 111122223333 --role ReadOnly --portal ${PORTAL}`,
        'region = eu-west-1',
        '',
        '[profile payments.Admin]',
        `credential_process = gatehouse credential-process --account 222233334444 --role Admin --portal ${PORTAL}`,
        'region = eu-west-1',
        BLOCK_END,
        '',
      ].join('\n'),
    );
    expect(merged).toMatchObject({ written: ['core-prod.ReadOnly', 'payments.Admin'], skipped: [], replaced: false });
  });

  it('replaces a previous block in place, keeping every byte before and after it, and is idempotent', () => {
    const before = `${FOREIGN}\n\n${START}\n[profile gone.Old]\ncredential_process = gatehouse x\nregion = us-east-1\n${BLOCK_END}\n[profile after]\nregion = eu-north-1\n`;
    const merged = mergeManagedBlock(before, START, [profile('core-prod.ReadOnly')]);
    const [head, tail] = [before.slice(0, before.indexOf(START)), before.slice(before.indexOf(BLOCK_END) + BLOCK_END.length + 1)];
    expect(merged.replaced).toBe(true);
    expect(merged.text.startsWith(head)).toBe(true);
    expect(merged.text.endsWith(tail)).toBe(true);
    expect(merged.text).not.toContain('gone.Old');
    expect(merged.text).toContain('[profile core-prod.ReadOnly]');
    expect(mergeManagedBlock(merged.text, START, [profile('core-prod.ReadOnly')]).text).toBe(merged.text);
  });

  it('keeps CRLF files CRLF, and their foreign lines exactly', () => {
    const crlf = FOREIGN.replace(/\n/g, '\r\n') + '\r\n';
    const first = mergeManagedBlock(crlf, START, [profile('a.ReadOnly')]);
    expect(first.text.startsWith(crlf)).toBe(true);
    expect(first.text.slice(crlf.length)).not.toMatch(/[^\r]\n/);
    const second = mergeManagedBlock(first.text, START, [profile('b.ReadOnly')]);
    expect(second.text.startsWith(crlf)).toBe(true);
    expect(second.text).not.toContain('a.ReadOnly');
    expect(second.text.split('\r\n').filter((line) => line.includes('\n'))).toEqual([]);
  });

  it('leaves the blocks of another portal or instance alone', () => {
    const other = blockStart(PORTAL, 'sandbox');
    const withOther = `${FOREIGN}\n${other}\n[profile sandbox.Admin]\nregion = us-east-2\n${BLOCK_END}\n`;
    const merged = mergeManagedBlock(withOther, START, [profile('core-prod.ReadOnly')]);
    expect(merged.text.startsWith(withOther)).toBe(true);
    expect(merged.replaced).toBe(false);
  });

  it('does not write a profile the file already has outside the block, and says which', () => {
    const merged = mergeManagedBlock(FOREIGN, START, [profile('legacy'), profile('default'), profile('fresh.ReadOnly')]);
    expect(merged.skipped).toEqual(['legacy', 'default']);
    expect(merged.written).toEqual(['fresh.ReadOnly']);
    expect(merged.text.match(/\[profile legacy\]/g)).toBeNull();
  });

  it('refuses a block that has a start but no end, rather than guess where it ends', () => {
    expect(() => mergeManagedBlock(`${FOREIGN}\n${START}\n[profile x]\n`, START, [profile('x')])).toThrow(/no end line/);
  });

  it('reads section headers as the AWS CLI does', () => {
    expect(sectionProfile('[default]')).toBe('default');
    expect(sectionProfile('  [ profile   spaced.name ]  ')).toBe('spaced.name');
    expect(sectionProfile('\u00EF\u00BB\u00BF[profile bom]')).toBe('bom');
    expect(sectionProfile('[sso-session corp]')).toBeUndefined();
    expect(sectionProfile('region = x')).toBeUndefined();
  });
});

describe('writing ~/.aws/config', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-awsconfig-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up the old file, replaces it atomically with its mode, and keeps bytes that are not UTF-8', () => {
    const file = path.join(dir, 'config');
    const original = Buffer.concat([Buffer.from(FOREIGN + '\n# caf'), Buffer.from([0xe9, 0xff]), Buffer.from('\n')]);
    writeFileSync(file, original);
    chmodSync(file, 0o640);
    const merged = mergeManagedBlock(readAwsConfig(file), START, [profile('core-prod.ReadOnly')]);
    const outcome = writeAwsConfig(file, merged.text, new Date('2026-11-29T10:11:12.345Z'));

    expect(outcome.backup).toBe(`${file}.gatehouse-backup-20261129T101112345Z`);
    expect(readFileSync(outcome.backup!)).toEqual(original);
    const written = readFileSync(file);
    expect(written.subarray(0, original.length)).toEqual(original);
    expect(written.toString('latin1')).toContain('[profile core-prod.ReadOnly]');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    // No temporary file left behind.
    expect(readdirSync(dir).sort()).toEqual(['config', 'config.gatehouse-backup-20261129T101112345Z']);

    // A second run with the same profiles changes nothing and backs up nothing.
    const again = mergeManagedBlock(readAwsConfig(file), START, [profile('core-prod.ReadOnly')]);
    expect(writeAwsConfig(file, again.text, new Date('2026-11-29T10:12:00Z'))).toMatchObject({ changed: false });
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('creates a missing file (and ~/.aws) with mode 0600, and follows a symbolic link to the file it names', () => {
    const fresh = path.join(dir, 'home', '.aws', 'config');
    const merged = mergeManagedBlock(readAwsConfig(fresh), START, [profile('a.ReadOnly')]);
    expect(writeAwsConfig(fresh, merged.text, new Date())).toEqual({ changed: true, file: fresh });
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(fresh)).mode & 0o777).toBe(0o700);

    const real = path.join(dir, 'dotfiles-config');
    writeFileSync(real, FOREIGN);
    const link = path.join(dir, 'linked-config');
    symlinkSync(real, link);
    const linked = mergeManagedBlock(readAwsConfig(link), START, [profile('a.ReadOnly')]);
    writeAwsConfig(link, linked.text, new Date());
    expect(statSync(link, { throwIfNoEntry: true }).isFile()).toBe(true);
    expect(readFileSync(real, 'utf8')).toContain('[profile a.ReadOnly]');
    expect(existsSync(link)).toBe(true);
  });

  it('makes the backup 0600 whatever the file\'s mode, and never follows a link planted at its name', () => {
    const file = path.join(dir, 'config');
    writeFileSync(file, FOREIGN);
    chmodSync(file, 0o644);
    const now = new Date('2026-11-29T10:11:12.345Z');
    const name = `${file}.gatehouse-backup-20261129T101112345Z`;
    // Someone who can write to the folder plants links where the backups will go: one dangling
    // (following it would create their file), one to a file of the person's (following it would
    // overwrite it).
    const planted = path.join(dir, 'planted-target');
    symlinkSync(planted, name);
    const precious = path.join(dir, 'precious');
    writeFileSync(precious, 'keep me\n');
    symlinkSync(precious, `${name}-2`);

    const merged = mergeManagedBlock(readAwsConfig(file), START, [profile('a.ReadOnly')]);
    const outcome = writeAwsConfig(file, merged.text, now);
    expect(outcome.backup).toBe(`${name}-3`);
    expect(lstatSync(outcome.backup!).isFile()).toBe(true);
    expect(statSync(outcome.backup!).mode & 0o777).toBe(0o600);
    expect(readFileSync(outcome.backup!, 'utf8')).toBe(FOREIGN);
    expect(existsSync(planted)).toBe(false);
    expect(readFileSync(precious, 'utf8')).toBe('keep me\n');
    expect(lstatSync(name).isSymbolicLink()).toBe(true);
    // The file itself keeps its own mode.
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });
});

describe('the credential_process line', () => {
  it('names the portal always and the instance when one was chosen', () => {
    expect(credentialProcessLine('gatehouse', '111122223333', 'Admin', PORTAL, 'sandbox')).toBe(
      `gatehouse credential-process --account 111122223333 --role Admin --portal ${PORTAL} --instance sandbox`,
    );
  });

  it('writes only values that pass the portal\'s rules, and quotes what a shell would read as more than a word', () => {
    for (const [accountId, roleName, instance] of [
      ['111122223333', '$(touch /tmp/pwned)', undefined],
      ['111122223333', 'Admin\n[profile pwn]', undefined],
      ['111122223333', "Admin' ; id ; '", undefined],
      ['111122223333', 'R'.repeat(65), undefined],
      ['1111-2222-3333', 'Admin', undefined],
      ['111122223333', 'Admin', 'prod;id'],
    ] as const) {
      expect(() => credentialProcessLine('gatehouse', accountId, roleName, PORTAL, instance)).toThrow(/^Refused to write a profile/);
    }
    expect(() => credentialProcessLine('gatehouse', '111122223333', 'Admin', 'http://127.0.0.1:3000\n[profile x]', undefined)).toThrow(/line break/);
    expect(credentialProcessLine('gatehouse', '111122223333', 'Admin+=,.@_-', 'http://[::1]:3000', undefined)).toBe(
      "gatehouse credential-process --account 111122223333 --role Admin+=,.@_- --portal 'http://[::1]:3000'",
    );
  });

  it('calls `gatehouse` when that is this command on PATH, else its absolute path, quoted when it must be', () => {
    const bin = path.join(mkdtempSync(path.join(tmpdir(), 'gatehouse-bin-')), 'my bin');
    mkdirSync(bin, { recursive: true });
    const script = path.join(bin, 'gatehouse');
    writeFileSync(script, '#!/bin/sh\n');
    expect(commandForProfiles(script, { PATH: `/usr/bin${path.delimiter}${bin}` })).toBe('gatehouse');
    expect(commandForProfiles(script, { PATH: '/usr/bin' })).toBe(`'${script}'`);
    expect(commandForProfiles('/opt/tools/gatehouse.mjs', { PATH: '/usr/bin' })).toBe('/opt/tools/gatehouse.mjs');
    rmSync(path.dirname(bin), { recursive: true, force: true });
  });
});
