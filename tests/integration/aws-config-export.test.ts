/**
 * The exported `~/.aws/config` as a production portal and a demo one write it: a region in every
 * profile (the instance's console region unless `?region=` says otherwise), and the portal's own
 * endpoint overrides only where they are the demo's emulator, which people's tools must reach too.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { type PortalClient, signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';

/** The `[profile …]` sections of a config file, each as its lines. */
function profiles(text: string): string[][] {
  return text
    .split('\n\n')
    .map((section) => section.split('\n').filter((line) => line !== ''))
    .filter((lines) => lines[0]?.startsWith('[profile '));
}

describe('the exported ~/.aws/config', () => {
  let emulator: RunningEmulator;
  let production: RunningPortal;
  let demo: RunningPortal;
  let work: string;
  let roleCount: number;

  const operators = new Map<RunningPortal, PortalClient>();
  const exported = async (portal: RunningPortal, query = '') => {
    let client = operators.get(portal);
    if (!client) {
      client = await signIn(portal.url, emulator, 'operator');
      // The listing is what the export is made from.
      await (await client.get('/api/accounts/stream')).text();
      operators.set(portal, client);
    }
    const response = await client.get(`/api/aws-config${query}`);
    expect(response.status).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'gatehouse-aws-config-'));
    emulator = await createEmulator({ port: 0 });
    const directory = emulator.ctx.directory;
    roleCount = accountsOfUser(directory, 'operator').reduce((sum, account) => sum + rolesOfUser(directory, 'operator', account.accountId).length, 0);
    // A deployment that reaches Identity Center through an endpoint of its own (here the emulator).
    production = await startPortal({
      emulatorPort: emulator.port,
      env: {
        SSO_START_URL: directory.startUrl,
        SSO_REGION: 'us-east-1',
        AWS_REGION: 'eu-central-1',
        SESSION_SECRET: 'aws-config-export-test-secret-'.padEnd(48, 'x'),
        AWS_ENDPOINT_URL: emulator.url,
        IDC_RATE_LIMIT: '100',
      },
    });
    demo = await startPortal({ emulatorPort: emulator.port, env: { IDC_RATE_LIMIT: '100' } });
  });
  afterAll(async () => {
    await Promise.all([production?.stop(), demo?.stop()]);
    await emulator?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('outside demo mode, carries none of the portal’s own endpoints, and gives every profile the console region', async () => {
    const text = await exported(production);
    expect(text).not.toMatch(/^\[services/m);
    expect(text).not.toMatch(/^services\s*=/m);
    expect(text).not.toContain(emulator.url);
    expect(text).not.toContain('endpoint_url');
    const sections = profiles(text);
    expect(sections).toHaveLength(roleCount);
    for (const lines of sections) expect(lines, lines[0]).toContain('region = eu-central-1');

    // The AWS CLI reads it so.
    const file = path.join(work, 'production-config');
    writeFileSync(file, text);
    const env: NodeJS.ProcessEnv = { PATH: '/usr/bin:/bin', HOME: work, AWS_CONFIG_FILE: file, AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'none'), AWS_PAGER: '', NODE_ENV: 'test' };
    const name = sections[0]![0]!.slice('[profile '.length, -1);
    expect((await run(AWS, ['configure', 'get', 'region', '--profile', name], { env })).stdout.trim()).toBe('eu-central-1');
    expect((await run(AWS, ['configure', 'list-profiles'], { env })).stdout.trim().split('\n')).toHaveLength(roleCount);
  });

  it('outside demo mode, ?region= sets every profile’s region', async () => {
    const sections = profiles(await exported(production, '?region=ap-southeast-2'));
    expect(sections).toHaveLength(roleCount);
    for (const lines of sections) {
      expect(lines.filter((line) => line.startsWith('region ='))).toEqual(['region = ap-southeast-2']);
    }
  });

  it('in demo mode, points every profile at the built-in emulator, in the demo’s region unless asked otherwise', async () => {
    const text = await exported(demo);
    const sections = profiles(text);
    expect(sections).toHaveLength(roleCount);
    for (const lines of sections) {
      expect(lines).toContain('region = us-east-1');
      expect(lines).toContain('services = gatehouse-demo-endpoints');
    }
    expect(text).toContain(
      `[services gatehouse-demo-endpoints]\nsso_oidc =\n  endpoint_url = ${emulator.url}\nsso =\n  endpoint_url = ${emulator.url}\nsts =\n  endpoint_url = ${emulator.url}\n`,
    );
    for (const lines of profiles(await exported(demo, '?region=eu-north-1'))) {
      expect(lines.filter((line) => line.startsWith('region ='))).toEqual(['region = eu-north-1']);
    }
  });
});
