import { describe, expect, it } from 'vitest';

import { EnvError, parseEnv } from '@/lib/server/core/config';

const SECRET = 'x'.repeat(32);

/** Reads files from a table (by the name's last segment), as the server reads GATEHOUSE_CONFIG from disk. */
function readerOf(files: Record<string, string>) {
  return (file: string) => {
    const text = files[file.split('/').pop() ?? ''];
    if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    return text;
  };
}
const PUBLIC_URL = 'https://gatehouse.example.com';
const PRODUCTION = {
  SSO_START_URL: 'https://d-1234567890.awsapps.com/start',
  SSO_REGION: 'eu-west-1',
  SESSION_SECRET: SECRET,
  PUBLIC_URL,
};

function problemsOf(raw: Record<string, string | undefined>, files: Record<string, string> = {}): { variable: string; expected: string }[] {
  try {
    parseEnv(raw, readerOf(files));
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
    expect(config.instances[0].endpoints).toEqual({
      sso: 'http://127.0.0.1:4700',
      ssoOidc: 'http://127.0.0.1:4700',
      sts: 'http://127.0.0.1:4700',
    });
    expect(config.instances[0].signinUrl).toBe('http://127.0.0.1:4700/federation');
  });

  it('reads a production configuration and uses the AWS defaults', () => {
    const config = parseEnv({ ...PRODUCTION, PORT: '8080', AWS_REGION: 'eu-central-1' });
    expect(config.mode).toBe('production');
    expect(config.port).toBe(8080);
    expect(config.host).toBe('0.0.0.0');
    expect(config.emulator).toBeUndefined();
    expect(config.instances[0].endpoints).toEqual({ sso: undefined, ssoOidc: undefined, sts: undefined });
    expect(config.instances[0].ssoRegion).toBe('eu-west-1');
    expect(config.instances[0].consoleRegion).toBe('eu-central-1');
    expect(config.instances[0].signinUrl).toBe('https://signin.aws.amazon.com/federation');
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
    expect(config.instances[0].endpoints).toEqual({
      sso: 'http://127.0.0.1:9000',
      ssoOidc: 'http://127.0.0.1:9000',
      sts: 'http://127.0.0.1:9001',
    });
  });

  it('keys the instance by start URL and region, stably', () => {
    const a = parseEnv(PRODUCTION).instances[0].id;
    expect(parseEnv(PRODUCTION).instances[0].id).toBe(a);
    expect(parseEnv({ ...PRODUCTION, SSO_REGION: 'us-east-2' }).instances[0].id).not.toBe(a);
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

  it('requires SSO_REGION, PUBLIC_URL and SESSION_SECRET outside demo mode', () => {
    const problems = problemsOf({ SSO_START_URL: PRODUCTION.SSO_START_URL });
    expect(problems.map((problem) => problem.variable)).toEqual(['SSO_REGION', 'PUBLIC_URL', 'SESSION_SECRET']);
    expect(problems[1]?.expected).toContain('the URL people use to reach the portal');
  });

  it('takes the public URL from PUBLIC_URL, as an origin, and in demo mode from where it listens', () => {
    expect(parseEnv({ ...PRODUCTION, PUBLIC_URL: 'https://gatehouse.example.com/' }).publicUrl).toBe('https://gatehouse.example.com');
    expect(parseEnv({ ...PRODUCTION, PUBLIC_URL: 'http://10.0.0.5:8080' }).publicUrl).toBe('http://10.0.0.5:8080');
    expect(parseEnv({}).publicUrl).toBe('http://127.0.0.1:3000');
    expect(parseEnv({ PORT: '4100', HOST: '0.0.0.0' }).publicUrl).toBe('http://127.0.0.1:4100');
    expect(parseEnv({ HOST: '::1' }).publicUrl).toBe('http://[::1]:3000');
    expect(parseEnv({ PUBLIC_URL: 'http://laptop.local:3000' }).publicUrl).toBe('http://laptop.local:3000');
    expect(problemsOf({ ...PRODUCTION, PUBLIC_URL: 'https://example.com/gatehouse' })[0]).toMatchObject({ variable: 'PUBLIC_URL' });
    expect(problemsOf({ ...PRODUCTION, PUBLIC_URL: 'ftp://example.com' })[0]).toMatchObject({ variable: 'PUBLIC_URL' });
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

  describe('AWS partitions', () => {
    it.each([
      ['eu-west-1', 'https://signin.aws.amazon.com/federation'],
      ['us-gov-west-1', 'https://signin.amazonaws-us-gov.com/federation'],
      ['us-gov-east-1', 'https://signin.amazonaws-us-gov.com/federation'],
      ['cn-north-1', 'https://signin.amazonaws.cn/federation'],
      ['cn-northwest-1', 'https://signin.amazonaws.cn/federation'],
    ])('federates the console of an Identity Center in %s through %s', (region, signinUrl) => {
      expect(parseEnv({ ...PRODUCTION, SSO_REGION: region }).instances[0].signinUrl).toBe(signinUrl);
      // SIGNIN_URL still wins.
      expect(parseEnv({ ...PRODUCTION, SSO_REGION: region, SIGNIN_URL: 'https://eu-west-1.signin.example/federation' }).instances[0].signinUrl).toBe(
        'https://eu-west-1.signin.example/federation',
      );
    });

    it('gives each instance of the file its own partition’s federation endpoint unless it names one', () => {
      const yaml = [
        'instances:',
        '  - {name: Commercial, startUrl: "https://d-1111111111.awsapps.com/start", ssoRegion: eu-west-1}',
        '  - {name: GovCloud, startUrl: "https://start.us-gov-home.awsapps.com/directory/d-2222222222", ssoRegion: us-gov-west-1}',
        '  - {name: China, startUrl: "https://start.home.awsapps.cn/directory/d-3333333333", ssoRegion: cn-north-1, signinUrl: "https://cn-north-1.signin.amazonaws.cn/federation"}',
      ].join('\n');
      const config = parseEnv({ GATEHOUSE_CONFIG: 'c.yaml', SESSION_SECRET: SECRET, PUBLIC_URL }, readerOf({ 'c.yaml': yaml }));
      expect(config.instances.map((instance) => instance.signinUrl)).toEqual([
        'https://signin.aws.amazon.com/federation',
        'https://signin.amazonaws-us-gov.com/federation',
        'https://cn-north-1.signin.amazonaws.cn/federation',
      ]);
    });

    it('names a GovCloud or China instance after its directory, not "start"', () => {
      const govCloud = { ...PRODUCTION, SSO_START_URL: 'https://start.us-gov-home.awsapps.com/directory/d-9067abcdef', SSO_REGION: 'us-gov-west-1' };
      expect(parseEnv(govCloud).instances[0].name).toBe('d-9067abcdef');
      const china = { ...PRODUCTION, SSO_START_URL: 'https://start.home.awsapps.cn/directory/d-90679abcde', SSO_REGION: 'cn-north-1' };
      expect(parseEnv(china).instances[0].name).toBe('d-90679abcde');
      expect(parseEnv(PRODUCTION).instances[0].name).toBe('d-1234567890');
    });

    it('refuses a console region of another partition than the Identity Center, naming the variable or field', () => {
      const fromEnv = problemsOf({ ...PRODUCTION, SSO_REGION: 'us-gov-west-1', AWS_REGION: 'us-east-1' });
      expect(fromEnv).toHaveLength(1);
      expect(fromEnv[0]?.variable).toBe('AWS_REGION');
      expect(fromEnv[0]?.expected).toContain('us-east-1 is in the aws partition, but the Identity Center region us-gov-west-1 is in aws-us-gov');
      expect(problemsOf({ ...PRODUCTION, AWS_REGION: 'cn-north-1' })[0]?.variable).toBe('AWS_REGION');
      expect(problemsOf({ AWS_REGION: 'us-gov-east-1' })[0]?.variable).toBe('AWS_REGION');

      const files = { 'c.yaml': 'instances:\n  - {name: A, startUrl: "https://x.example/start", ssoRegion: cn-north-1, consoleRegion: eu-west-1}' };
      const fromFile = problemsOf({ GATEHOUSE_CONFIG: 'c.yaml', SESSION_SECRET: SECRET, PUBLIC_URL }, files);
      expect(fromFile).toHaveLength(1);
      expect(fromFile[0]?.variable).toBe('GATEHOUSE_CONFIG');
      expect(fromFile[0]?.expected).toContain('c.yaml: instances.0.consoleRegion: eu-west-1 is in the aws partition');

      // AWS_REGION as the file's default console region: it is named, with the instance it does not fit.
      const defaulted = problemsOf(
        { GATEHOUSE_CONFIG: 'c.yaml', SESSION_SECRET: SECRET, PUBLIC_URL, AWS_REGION: 'eu-west-1' },
        { 'c.yaml': 'instances:\n  - {name: Gov, startUrl: "https://x.example/start", ssoRegion: us-gov-west-1}' },
      );
      expect(defaulted[0]?.variable).toBe('AWS_REGION');
      expect(defaulted[0]?.expected).toContain('instance 0 ("Gov")');
    });

    it('accepts the European Sovereign Cloud, and requires its federation endpoint rather than guessing it', () => {
      const eusc = { ...PRODUCTION, SSO_REGION: 'eusc-de-east-1' };
      const problems = problemsOf(eusc);
      expect(problems).toHaveLength(1);
      expect(problems[0]?.variable).toBe('SIGNIN_URL');
      expect(problems[0]?.expected).toContain('required for eusc-de-east-1 (the aws-eusc partition)');
      const signinUrl = 'https://eusc-de-east-1.signin.amazonaws-eusc.eu/federation';
      const config = parseEnv({ ...eusc, SIGNIN_URL: signinUrl, AWS_REGION: 'eusc-de-east-1' });
      expect(config.instances[0]).toMatchObject({ ssoRegion: 'eusc-de-east-1', consoleRegion: 'eusc-de-east-1', signinUrl });

      const files = { 'c.yaml': 'instances:\n  - {name: Sovereign, startUrl: "https://d-1234567890.awsapps.com/start", ssoRegion: eusc-de-east-1}' };
      const fromFile = problemsOf({ GATEHOUSE_CONFIG: 'c.yaml', SESSION_SECRET: SECRET, PUBLIC_URL }, files);
      expect(fromFile[0]?.variable).toBe('GATEHOUSE_CONFIG');
      expect(fromFile[0]?.expected).toContain('c.yaml: instances.0.signinUrl: required for eusc-de-east-1');
    });

    it('refuses an isolated partition, whose console is not public', () => {
      const problems = problemsOf({ ...PRODUCTION, SSO_REGION: 'us-iso-east-1', SIGNIN_URL: 'https://signin.example/federation' });
      expect(problems).toHaveLength(1);
      expect(problems[0]?.variable).toBe('SSO_REGION');
      expect(problems[0]?.expected).toContain('aws-iso partition, whose console is not public');
    });
  });

  describe('GATEHOUSE_CONFIG', () => {
    const YAML = [
      'instances:',
      '  - name: Production',
      '    startUrl: https://d-1111111111.awsapps.com/start',
      '    ssoRegion: eu-west-1',
      '    consoleRegion: eu-central-1',
      '    accountNicknames:',
      '      "111122223333": prod-core',
      '  - name: Sandbox Org',
      '    key: sandbox',
      '    startUrl: https://d-2222222222.awsapps.com/start',
      '    ssoRegion: us-east-2',
      '    endpointUrl: http://127.0.0.1:4600',
      '    signinUrl: http://127.0.0.1:4600/federation',
    ].join('\n');

    it('reads several instances from a YAML file, in order, with keys, regions, nicknames and endpoints', () => {
      const config = parseEnv({ GATEHOUSE_CONFIG: 'instances.yaml', SESSION_SECRET: SECRET, PUBLIC_URL }, readerOf({ 'instances.yaml': YAML }));
      expect(config.mode).toBe('production');
      expect(config.instances.map((instance) => [instance.key, instance.name, instance.ssoRegion, instance.consoleRegion])).toEqual([
        ['production', 'Production', 'eu-west-1', 'eu-central-1'],
        ['sandbox', 'Sandbox Org', 'us-east-2', 'us-east-2'],
      ]);
      expect(config.instances[0].nicknames).toEqual({ '111122223333': 'prod-core' });
      expect(config.instances[0].endpoints).toEqual({ sso: undefined, ssoOidc: undefined, sts: undefined });
      expect(config.instances[0].signinUrl).toBe('https://signin.aws.amazon.com/federation');
      expect(config.instances[1]?.endpoints).toEqual({ sso: 'http://127.0.0.1:4600', ssoOidc: 'http://127.0.0.1:4600', sts: 'http://127.0.0.1:4600' });
      expect(config.instances[1]?.signinUrl).toBe('http://127.0.0.1:4600/federation');
      expect(config.instances[0].id).not.toBe(config.instances[1]?.id);
    });

    it('accepts the example file the README points to', () => {
      const config = parseEnv({ GATEHOUSE_CONFIG: 'deploy/gatehouse.example.yaml', SESSION_SECRET: SECRET, PUBLIC_URL });
      expect(config.instances.map((instance) => instance.key)).toEqual(['production', 'sandbox']);
      expect(config.instances[0].nicknames['111122223333']).toBe('core-prod');
    });

    it("reads the example's labels and branding", () => {
      const config = parseEnv({ GATEHOUSE_CONFIG: 'deploy/gatehouse.example.yaml', SESSION_SECRET: SECRET, PUBLIC_URL });
      expect(config.branding).toEqual({ organization: 'Example Corp', helpUrl: 'https://wiki.example.com/aws-access', logo: undefined });
      expect(config.instances[0].accountLabels).toEqual([
        { label: 'production', color: 'red', names: ['*-prod', 'prod-*'], accounts: ['111122223333'], ous: [] },
        { label: 'pci', color: 'amber', names: [], accounts: ['444455556666'], ous: [], region: 'eu-west-1' },
      ]);
      expect(config.instances[1]?.accountLabels).toEqual([]);
    });

    it.each([
      ['a label without accounts, names or ous', "[{ label: prod }]", 'instances.0.accountLabels.0: expected at least one of accounts, names or ous'],
      ['a colour of its own', "[{ label: prod, color: pink, names: ['*'] }]", 'instances.0.accountLabels.0.color: expected one of red, amber, green, blue, slate'],
      ['a bad account id', "[{ label: prod, accounts: ['12'] }]", 'instances.0.accountLabels.0.accounts.0: expected a 12-digit account id'],
      ['a pattern with a space', "[{ label: prod, names: ['a b'] }]", 'instances.0.accountLabels.0.names.0: expected an account name pattern'],
      ['a region that is none', "[{ label: prod, names: ['*'], region: mars-1 }]", 'instances.0.accountLabels.0.region: expected an AWS region'],
      ['a line break in a label', '[{ label: "pro\\u2028d", names: ["*"] }]', 'instances.0.accountLabels.0.label: expected printable characters only'],
    ])('refuses %s, naming the field', (_what, labels, expected) => {
      const yaml = `instances:\n  - name: Production\n    startUrl: https://d-1111111111.awsapps.com/start\n    ssoRegion: eu-west-1\n    accountLabels: ${labels}\n`;
      expect(() => parseEnv({ GATEHOUSE_CONFIG: 'labels.yaml', SESSION_SECRET: SECRET, PUBLIC_URL }, readerOf({ 'labels.yaml': yaml }))).toThrow(expected);
    });

    it('reads the logo the branding names, beside the file, and refuses one it cannot use', () => {
      const yaml = (logo: string) => `branding:\n  logo: ${logo}\ninstances:\n  - name: Production\n    startUrl: https://d-1111111111.awsapps.com/start\n    ssoRegion: eu-west-1\n`;
      const bytes = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');
      const read = (file: string) => {
        if (file === '/etc/gatehouse/logo.svg') return bytes;
        if (file === '/etc/gatehouse/huge.png') return Buffer.alloc(300 * 1024);
        throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      };
      const config = parseEnv({ GATEHOUSE_CONFIG: '/etc/gatehouse/config.yaml', SESSION_SECRET: SECRET, PUBLIC_URL }, readerOf({ 'config.yaml': yaml('logo.svg') }), read);
      expect(config.branding.logo).toEqual({ contentType: 'image/svg+xml', bytes });
      expect(() => parseEnv({ GATEHOUSE_CONFIG: '/etc/gatehouse/config.yaml', SESSION_SECRET: SECRET, PUBLIC_URL }, readerOf({ 'config.yaml': yaml('huge.png') }), read)).toThrow(
        'branding.logo: expected an image of at most 256 KB',
      );
      expect(() => parseEnv({ GATEHOUSE_CONFIG: '/etc/gatehouse/config.yaml', SESSION_SECRET: SECRET, PUBLIC_URL }, readerOf({ 'config.yaml': yaml('gone.png') }), read)).toThrow(
        'branding.logo: could not read gone.png (ENOENT)',
      );
      expect(() => parseEnv({ GATEHOUSE_CONFIG: '/etc/gatehouse/config.yaml', SESSION_SECRET: SECRET, PUBLIC_URL }, readerOf({ 'config.yaml': yaml('logo.exe') }), read)).toThrow(
        'branding.logo: expected the path of a PNG, SVG, JPEG or WebP file',
      );
    });

    it('reads the same instances from JSON', () => {
      const json = JSON.stringify({
        instances: [{ name: 'Production', startUrl: 'https://d-1111111111.awsapps.com/start', ssoRegion: 'eu-west-1' }],
      });
      const config = parseEnv({ GATEHOUSE_CONFIG: 'instances.json', SESSION_SECRET: SECRET, PUBLIC_URL, AWS_REGION: 'eu-west-2' }, readerOf({ 'instances.json': json }));
      expect(config.instances).toHaveLength(1);
      expect(config.instances[0]).toMatchObject({ key: 'production', consoleRegion: 'eu-west-2', nicknames: {} });
    });

    it('keeps the instance id of the environment-only configuration for the same start URL and region', () => {
      const json = JSON.stringify({ instances: [{ name: 'Main', startUrl: PRODUCTION.SSO_START_URL, ssoRegion: PRODUCTION.SSO_REGION }] });
      const fromFile = parseEnv({ GATEHOUSE_CONFIG: 'a.json', SESSION_SECRET: SECRET, PUBLIC_URL }, readerOf({ 'a.json': json }));
      expect(fromFile.instances[0].id).toBe(parseEnv(PRODUCTION).instances[0].id);
    });

    it.each([
      ['a missing file', {}, 'could not read the file (ENOENT)'],
      ['text that is neither JSON nor YAML', { 'c.yaml': 'instances: [\n  - {' }, 'is not valid JSON or YAML'],
      ['no instances', { 'c.yaml': 'instances: []' }, 'instances: expected at least one instance'],
      ['a document without instances', { 'c.yaml': 'name: Production' }, 'instances: expected a list of instances'],
      ['an instance without a start URL', { 'c.yaml': 'instances:\n  - {name: A, ssoRegion: eu-west-1}' }, 'instances.0.startUrl: expected the https start URL'],
      ['a plain http start URL', { 'c.yaml': 'instances:\n  - {name: A, startUrl: "http://x.example/start", ssoRegion: eu-west-1}' }, 'instances.0.startUrl: expected the https start URL'],
      ['a bad region', { 'c.yaml': 'instances:\n  - {name: A, startUrl: "https://x.example/start", ssoRegion: mars}' }, 'instances.0.ssoRegion: expected an AWS region'],
      ['a nickname for something that is not an account id', { 'c.yaml': 'instances:\n  - {name: A, startUrl: "https://x.example/start", ssoRegion: eu-west-1, accountNicknames: {"12": x}}' }, 'expected a 12-digit account id'],
      ['an unknown field', { 'c.yaml': 'instances:\n  - {name: A, startUrl: "https://x.example/start", ssoRegion: eu-west-1, colour: red}' }, 'instances.0'],
      ['a key with capitals', { 'c.yaml': 'instances:\n  - {key: Prod, name: A, startUrl: "https://x.example/start", ssoRegion: eu-west-1}' }, 'instances.0.key: expected a short name'],
      [
        'two instances with one key',
        { 'c.yaml': 'instances:\n  - {name: Prod, startUrl: "https://a.example/start", ssoRegion: eu-west-1}\n  - {name: prod, startUrl: "https://b.example/start", ssoRegion: eu-west-1}' },
        '"prod" is used twice',
      ],
      [
        'one instance listed twice',
        { 'c.yaml': 'instances:\n  - {name: A, startUrl: "https://a.example/start", ssoRegion: eu-west-1}\n  - {name: B, startUrl: "https://a.example/start", ssoRegion: eu-west-1}' },
        'listed twice',
      ],
    ])('refuses %s, naming GATEHOUSE_CONFIG and the file', (_what, files, expected) => {
      const problems = problemsOf({ GATEHOUSE_CONFIG: 'c.yaml', SESSION_SECRET: SECRET, PUBLIC_URL }, files);
      expect(problems).toHaveLength(1);
      expect(problems[0]?.variable).toBe('GATEHOUSE_CONFIG');
      expect(problems[0]?.expected).toContain('c.yaml: ');
      expect(problems[0]?.expected).toContain(expected);
    });

    it('refuses SSO_START_URL beside it, and requires SESSION_SECRET', () => {
      const files = { 'c.yaml': YAML };
      expect(problemsOf({ GATEHOUSE_CONFIG: 'c.yaml', SSO_START_URL: PRODUCTION.SSO_START_URL, SESSION_SECRET: SECRET }, files)[0]?.variable).toBe('SSO_START_URL');
      expect(problemsOf({ GATEHOUSE_CONFIG: 'c.yaml' }, files).map((problem) => problem.variable)).toEqual(['PUBLIC_URL', 'SESSION_SECRET']);
    });
  });
});
