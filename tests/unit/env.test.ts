import { describe, expect, it } from 'vitest';

import { EnvError, parseEnv } from '@/lib/server/env';

const SECRET = 'x'.repeat(32);
const PRODUCTION = {
  SSO_START_URL: 'https://d-1234567890.awsapps.com/start',
  SSO_REGION: 'eu-west-1',
  SESSION_SECRET: SECRET,
};

function problemsOf(raw: Record<string, string | undefined>): { variable: string; expected: string }[] {
  try {
    parseEnv(raw);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  throw new Error('parseEnv accepted the environment');
}

describe('parseEnv', () => {
  it('is demo mode without SSO_START_URL, talking to the emulator on EMULATOR_PORT', () => {
    const config = parseEnv({ EMULATOR_PORT: '4700' });
    expect(config.mode).toBe('demo');
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.emulator).toEqual({ port: 4700, url: 'http://127.0.0.1:4700' });
    expect(config.identityCenter.endpoints).toEqual({
      sso: 'http://127.0.0.1:4700',
      ssoOidc: 'http://127.0.0.1:4700',
      sts: 'http://127.0.0.1:4700',
    });
    expect(config.signinUrl).toBe('http://127.0.0.1:4700/federation');
  });

  it('reads a production configuration and uses the AWS defaults', () => {
    const config = parseEnv({ ...PRODUCTION, PORT: '8080', AWS_REGION: 'eu-central-1' });
    expect(config.mode).toBe('production');
    expect(config.port).toBe(8080);
    expect(config.host).toBe('0.0.0.0');
    expect(config.emulator).toBeUndefined();
    expect(config.identityCenter.endpoints).toEqual({ sso: undefined, ssoOidc: undefined, sts: undefined });
    expect(config.identityCenter.ssoRegion).toBe('eu-west-1');
    expect(config.defaultRegion).toBe('eu-central-1');
    expect(config.signinUrl).toBe('https://signin.aws.amazon.com/federation');
    expect(config.sessionSecrets).toEqual([SECRET]);
  });

  it('splits a comma-separated SESSION_SECRET into rotation keys, newest first', () => {
    const older = 'y'.repeat(40);
    expect(parseEnv({ ...PRODUCTION, SESSION_SECRET: `${SECRET}, ${older}` }).sessionSecrets).toEqual([SECRET, older]);
  });

  it('lets each standard endpoint variable override the global one', () => {
    const config = parseEnv({
      ...PRODUCTION,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9000',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9001',
    });
    expect(config.identityCenter.endpoints).toEqual({
      sso: 'http://127.0.0.1:9000',
      ssoOidc: 'http://127.0.0.1:9000',
      sts: 'http://127.0.0.1:9001',
    });
  });

  it('keys the instance by start URL and region, stably', () => {
    const a = parseEnv(PRODUCTION).identityCenter.id;
    expect(parseEnv(PRODUCTION).identityCenter.id).toBe(a);
    expect(parseEnv({ ...PRODUCTION, SSO_REGION: 'us-east-2' }).identityCenter.id).not.toBe(a);
  });

  it('treats empty variables as unset', () => {
    expect(parseEnv({ SSO_START_URL: '', PORT: '' }).mode).toBe('demo');
  });

  it.each([
    ['PORT', 'abc', 'whole number'],
    ['PORT', '70000', 'whole number'],
    ['EMULATOR_PORT', '-1', 'whole number'],
    ['SSO_REGION', 'Mars', 'AWS region'],
    ['AWS_REGION', 'us east 1', 'AWS region'],
    ['SSO_START_URL', 'http://d-1234567890.awsapps.com/start', 'https start URL'],
    ['SSO_START_URL', 'not a url', 'https start URL'],
    ['REDIS_URL', 'http://127.0.0.1:6379', 'redis://'],
    ['SIGNIN_URL', 'ftp://example.com', 'federation endpoint'],
    ['AWS_ENDPOINT_URL_SSO', 'localhost:4599', 'http(s) URL'],
    ['SESSION_SECRET', 'short', 'at least 32 characters'],
    ['LOG_LEVEL', 'loud', 'one of'],
    ['HOST', 'my host', 'IP address'],
  ])('refuses %s=%j, naming the variable and what it expects', (variable, value, expected) => {
    const problems = problemsOf({ ...PRODUCTION, [variable]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.variable).toBe(variable);
    expect(problems[0]?.expected).toContain(expected);
  });

  it('requires SSO_REGION and SESSION_SECRET outside demo mode', () => {
    const problems = problemsOf({ SSO_START_URL: PRODUCTION.SSO_START_URL });
    expect(problems.map((problem) => problem.variable)).toEqual(['SSO_REGION', 'SESSION_SECRET']);
  });

  it('reports every bad variable at once, in a message that names each', () => {
    try {
      parseEnv({ PORT: 'x', REDIS_URL: 'nope' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      const { message } = error as EnvError;
      expect(message).toContain('PORT: expected a whole number');
      expect(message).toContain('REDIS_URL: expected a redis');
    }
  });
});
