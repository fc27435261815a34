import { createServer, type Server } from 'node:http';
import type { Environment } from '../../cli/environment';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { configDirectory, saveSession } from '../../cli/token-store';
import { CLI_VERSION, compareVersions, updateNotice } from '../../cli/version';
import rootPackage from '../../package.json';
import { isolatedHome, runCli } from '../support/cli-io';

describe('versions', () => {
  it('is the portal package version', () => {
    expect(CLI_VERSION).toBe(rootPackage.version);
  });

  it('orders versions as semantic versioning does', () => {
    const ordered = ['0.1.0', '0.1.1', '0.2.0-alpha', '0.2.0-alpha.1', '0.2.0-alpha.beta', '0.2.0-beta.2', '0.2.0-beta.11', '0.2.0-rc.1', '0.2.0', '0.10.0', '1.0.0'];
    for (let i = 0; i < ordered.length; i += 1) {
      for (let j = 0; j < ordered.length; j += 1) {
        expect(compareVersions(ordered[i]!, ordered[j]!), `${ordered[i]} vs ${ordered[j]}`).toBe(Math.sign(i - j));
      }
    }
    expect(compareVersions('1.2.3+build.5', '1.2.3')).toBe(0);
    expect(compareVersions('v1.2.3', '1.2.3')).toBe(0);
    expect(compareVersions('not a version', '1.0.0')).toBeUndefined();
  });

  it('tells how to update only when the portal is newer', () => {
    expect(updateNotice('0.3.0', 'https://gh.example.com', '0.2.9')).toBe(
      'gatehouse 0.3.0 is available (this is 0.2.9): npm install -g https://gh.example.com/cli/gatehouse.tgz',
    );
    expect(updateNotice('0.2.9', 'https://gh.example.com', '0.2.9')).toBeUndefined();
    expect(updateNotice('0.2.0', 'https://gh.example.com', '0.2.9')).toBeUndefined();
    expect(updateNotice('garbage', 'https://gh.example.com', '0.2.9')).toBeUndefined();
  });
});

describe('the update notice from a portal answer', () => {
  let server: Server;
  let portal: string;
  let portalVersion: string;
  let home: string;
  let env: Environment;

  beforeEach(async () => {
    ({ home, env } = isolatedHome());
    server = createServer((_request, response) => {
      response
        .writeHead(200, { 'content-type': 'application/json', 'x-gatehouse-version': portalVersion })
        .end(JSON.stringify({ user: 'operator', instance: { key: 'default', name: 'Default' }, expiresAt: '2030-01-01T00:00:00Z', endsBecause: 'absolute' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    portal = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    saveSession(configDirectory(env), {
      portal,
      instance: { key: 'default', name: 'Default' },
      instanceChosen: false,
      token: 't'.repeat(43),
      expiresAt: '2030-01-01T00:00:00Z',
      savedAt: '2026-01-01T00:00:00Z',
    });
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(home, { recursive: true, force: true });
  });

  it('is one line on stderr, never on stdout, when the portal runs a newer version', async () => {
    const [major] = CLI_VERSION.split('.');
    portalVersion = `${Number(major) + 1}.0.0`;
    const result = await runCli(['status'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`gatehouse ${portalVersion} is available (this is ${CLI_VERSION}): npm install -g ${portal}/cli/gatehouse.tgz\n`);
    expect(result.stdout).not.toContain('available');
    expect(result.stdout).toContain('User:     operator');
  });

  it('is absent when the portal runs the same version', async () => {
    portalVersion = CLI_VERSION;
    const result = await runCli(['status'], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });
});
