import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import type { ListingEvent, RejectedEntry } from '../../lib/shared/accounts';
import { type PortalClient, signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { auditLines, readListing } from '../support/api-session';
import { type RunningProxy, startRewritingProxy } from '../support/rewriting-proxy';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';

/**
 * Identity Center answers rewritten by a proxy in front of the real emulator, as an attacker who
 * controls those strings would write them. The portal shows each refused entry as invalid and
 * writes it nowhere: not in the listing, not in the exported ~/.aws/config (read back by the AWS
 * CLI), not in any credentials text.
 */
describe('hostile answers from Identity Center', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'gatehouse-hostile-'));
  const canary = path.join(work, 'ran');
  const injection = `X]\n[profile pwn]\ncredential_process = /bin/sh -c 'touch ${canary}'`;
  let emulator: RunningEmulator;
  let proxy: RunningProxy;
  let portal: RunningPortal;
  let developer: PortalClient;
  let events: ListingEvent[];
  let target: { accountId: string; roles: readonly string[] };

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    const first = accountsOfUser(emulator.ctx.directory, 'developer')[0]!;
    target = { accountId: first.accountId, roles: rolesOfUser(emulator.ctx.directory, 'developer', first.accountId) };
    proxy = await startRewritingProxy(emulator.url, (pathname, query, body) => {
      const answer = body as Record<string, unknown>;
      if (pathname === '/assignment/accounts' && !query.has('next_token')) {
        const list = answer.accountList as Record<string, unknown>[];
        list.push(
          { accountId: '12345', accountName: 'Short id', emailAddress: 'short@example.com' },
          { accountId: '999999999999', accountName: `Evil\n[profile pwn]\ncredential_process = /bin/sh -c 'touch ${canary}'`, emailAddress: 'evil@example.com' },
          { accountId: '999999999998', accountName: 'Mail', emailAddress: 'a@b.c\n[profile mail]' },
          { accountId: '999999999997', accountName: 'Right\u202Eto left', emailAddress: 'bidi@example.com' },
        );
      }
      if (pathname === '/assignment/roles' && query.get('account_id') === target.accountId) {
        (answer.roleList as Record<string, unknown>[]).push({ roleName: injection, accountId: target.accountId });
      }
      // The last role: the first one is how the listing learns who signed in.
      if (pathname === '/federation/credentials' && query.get('account_id') === target.accountId && query.get('role_name') === target.roles.at(-1)) {
        const credentials = answer.roleCredentials as Record<string, unknown>;
        credentials.accessKeyId = `ASIA$(touch ${canary})`;
      }
      return answer;
    });
    // Demo mode, with the portal API (and only it) reached through the rewriting proxy.
    portal = await startPortal({ emulatorPort: emulator.port, env: { AWS_ENDPOINT_URL_SSO: proxy.url } });
    developer = await signIn(portal.url, emulator, 'developer');
    events = await readListing(await developer.get('/api/accounts/stream'));
  });
  afterAll(async () => {
    await portal.stop();
    await proxy.close();
    await emulator.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('lists the valid accounts and roles, and shows each refused entry on its own as invalid', () => {
    const listed = events.flatMap((event) => (event.type === 'accounts' ? event.accounts.map((account) => account.accountId) : []));
    expect(listed.sort()).toEqual(accountsOfUser(emulator.ctx.directory, 'developer').map((account) => account.accountId).sort());
    const roles = events.find((event) => event.type === 'roles' && event.accountId === target.accountId);
    expect(roles?.type === 'roles' && roles.roles.map((role) => role.roleName)).toEqual([...target.roles]);

    const rejected: RejectedEntry[] = events.flatMap((event) => (event.type === 'rejected' ? event.entries : []));
    expect(rejected.map((entry) => [entry.kind, entry.accountId ?? null])).toEqual([
      ['account', null],
      ['account', '999999999999'],
      ['account', '999999999998'],
      ['account', '999999999997'],
      ['role', target.accountId],
    ]);
    // What is shown has every line break and control character made visible, never raw.
    for (const entry of rejected) expect(entry.shown).not.toMatch(/[\n\r\u202E]/);
    expect(rejected[1]?.shown).toContain('Evil\\n[profile pwn]');
    expect(rejected[4]?.shown).toContain('X]\\n[profile pwn]');
  });

  it('exports a ~/.aws/config in which the AWS CLI finds only the intended profiles', async () => {
    const response = await developer.get('/api/aws-config');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain('pwn');
    expect(text).not.toContain('credential_process');
    expect(text).not.toMatch(/99999999999\d/);
    const file = path.join(work, 'config');
    writeFileSync(file, text);
    const env: NodeJS.ProcessEnv = { PATH: '/usr/bin:/bin', HOME: work, AWS_CONFIG_FILE: file, AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'none'), AWS_PAGER: '', NODE_ENV: 'test' };
    const { stdout } = await run(AWS, ['configure', 'list-profiles'], { env });
    const intended = accountsOfUser(emulator.ctx.directory, 'developer').reduce(
      (sum, account) => sum + rolesOfUser(emulator.ctx.directory, 'developer', account.accountId).length,
      0,
    );
    const profiles = stdout.trim().split('\n');
    expect(profiles).toHaveLength(intended);
    expect(profiles.some((name) => /pwn|mail/.test(name))).toBe(false);
    await expect(run(AWS, ['configure', 'export-credentials', '--profile', 'pwn'], { env })).rejects.toThrow();
    expect(existsSync(canary)).toBe(false);
  });

  it('refuses credentials outside AWS\'s alphabet, in every format, and hands out nothing', async () => {
    const from = auditLines(portal.output()).length;
    for (const query of ['', '?format=env', '?format=fish', '?format=windows-cmd', '?format=process']) {
      const response = await developer.post(`/api/credentials${query}`, { accountId: target.accountId, roleName: target.roles.at(-1) });
      expect(response.status, query).toBe(502);
      const body = await response.text();
      expect(JSON.parse(body)).toMatchObject({ error: { code: 'upstream_invalid' } });
      expect(body).not.toContain('touch');
    }
    expect(auditLines(portal.output()).slice(from).filter((line) => line.event === 'credentials_issued')).toEqual([]);
    expect(portal.output()).not.toContain('touch');
    expect(existsSync(canary)).toBe(false);
  });

  it('never hands out credentials for a refused account or role', async () => {
    const anyRole = target.roles[0]!;
    expect((await developer.post('/api/credentials', { accountId: '999999999999', roleName: anyRole })).status).toBe(403);
    expect((await developer.post('/api/credentials', { accountId: target.accountId, roleName: injection })).status).toBe(400);
    expect((await developer.get('/api/accounts/999999999999/roles')).status).toBe(404);
  });
});
