import { once } from 'node:events';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { freePort } from '../../scripts/support/processes';
import { type RunningPortal, spawnPortal, startPortal } from '../../scripts/support/portal-process';

describe('the production server', () => {
  let portal: RunningPortal;

  beforeAll(async () => {
    portal = await startPortal({ emulatorPort: await freePort() });
  });
  afterAll(async () => {
    await portal.stop();
  });

  it('answers GET /api/health with {"status":"ok"} and no-store', async () => {
    const response = await fetch(`${portal.url}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('does not announce itself', async () => {
    const response = await fetch(`${portal.url}/api/health`);
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each([
    [{ SSO_REGION: 'nowhere' }, 'SSO_REGION: expected an AWS region'],
    [{ SSO_START_URL: 'https://d-1234567890.awsapps.com/start', SSO_REGION: 'eu-west-1' }, 'SESSION_SECRET: required'],
    [
      { SSO_START_URL: 'https://d-1234567890.awsapps.com/start', SSO_REGION: 'eu-west-1', SESSION_SECRET: 'x'.repeat(32) },
      'PUBLIC_URL: required outside demo mode',
    ],
    [
      { SSO_START_URL: 'https://d-1234567890.awsapps.com/start', SSO_REGION: 'eu-west-1', SESSION_SECRET: 'x'.repeat(32), PUBLIC_URL: 'https://portal.example.com/gatehouse' },
      'PUBLIC_URL: expected the URL people use to reach the portal, scheme, host and port only',
    ],
    [{ REDIS_URL: 'mysql://db' }, 'REDIS_URL: expected a redis:// or rediss:// URL'],
    [
      { SSO_START_URL: 'https://start.us-gov-home.awsapps.com/directory/d-9067abcdef', SSO_REGION: 'us-gov-west-1', AWS_REGION: 'eu-west-1', SESSION_SECRET: 'x'.repeat(32), PUBLIC_URL: 'https://portal.example.com' },
      'AWS_REGION: eu-west-1 is in the aws partition, but the Identity Center region us-gov-west-1 is in aws-us-gov',
    ],
    [{ SSO_START_URL: 'https://d-1234567890.awsapps.com/start', SSO_REGION: 'eusc-de-east-1', SESSION_SECRET: 'x'.repeat(32), PUBLIC_URL: 'https://portal.example.com' }, 'SIGNIN_URL: required for eusc-de-east-1'],
    [{ GATEHOUSE_CONFIG: '/nonexistent/gatehouse.yaml', SESSION_SECRET: 'x'.repeat(32), PUBLIC_URL: 'https://portal.example.com' }, 'GATEHOUSE_CONFIG: /nonexistent/gatehouse.yaml: could not read the file (ENOENT)'],
    [{ GATEHOUSE_CONFIG: 'package.json', SESSION_SECRET: 'x'.repeat(32), PUBLIC_URL: 'https://portal.example.com' }, 'GATEHOUSE_CONFIG: package.json: instances: expected a list of instances'],
  ])('refuses to start with %j and says why', async (env, message) => {
    const { child, output } = spawnPortal(await freePort(), env);
    // A portal that starts after all is stopped, so it fails this test and nothing else.
    const runaway = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(runaway);
    expect(code).toBe(1);
    expect(output()).toContain(message);
  });
});
