import { describe, expect, it } from 'vitest';

import { consoleDestination, consoleRegion } from '@/lib/server/dal/console';
import { type IdentityCenterInstance, parseEnv } from '@/lib/server/core/config';
import { envSchema } from '@/lib/server/core/env-schema';
import { configFileSchema } from '@/lib/server/core/instances-file';
import { buildAwsConfig, ssoSessionName } from '@/lib/shared/aws-config';
import { isConsoleDestination, regionOfDestination } from '@/lib/shared/console-destination';
import { regionSchema } from '@/lib/shared/credential-formats';
import { REGION_PATTERN as CREDENTIAL_REGION_PATTERN } from '@/lib/shared/credential-text';
import { partitionOf } from '@/lib/shared/partitions';

/** An instance as the configuration makes it, in a given SSO region. */
function instanceIn(ssoRegion: string, consoleRegion = ssoRegion): IdentityCenterInstance {
  const config = parseEnv({
    SSO_START_URL: 'https://d-1234567890.awsapps.com/start',
    SSO_REGION: ssoRegion,
    AWS_REGION: consoleRegion,
    SESSION_SECRET: 'x'.repeat(32),
    SIGNIN_URL: 'https://signin.example/federation',
    PUBLIC_URL: 'https://gatehouse.example.com',
  });
  return config.instances[0];
}

describe('regions and partitions', () => {
  it.each(['us-east-1', 'eu-west-2', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1', 'us-iso-east-1', 'eusc-de-east-1'])(
    'parses %s as a region everywhere a region is read',
    (region) => {
      expect(CREDENTIAL_REGION_PATTERN.test(region)).toBe(true);
      expect(regionSchema.safeParse(region).success).toBe(true);
      expect(envSchema.safeParse({ SSO_REGION: region, AWS_REGION: region }).success).toBe(true);
      const file = { instances: [{ name: 'A', startUrl: 'https://d-1234567890.awsapps.com/start', ssoRegion: region, consoleRegion: region }] };
      expect(configFileSchema.safeParse(file).success).toBe(true);
    },
  );

  it.each(['eusc-east-1', 'eu-sc-de-east-1', 'EUSC-DE-EAST-1', 'eusc-de-east', 'mars-1'])('refuses %s', (value) => {
    expect(regionSchema.safeParse(value).success).toBe(false);
    expect(envSchema.safeParse({ AWS_REGION: value }).success).toBe(false);
  });

  it.each([
    ['us-east-1', 'aws', 'console.aws.amazon.com', 'https://signin.aws.amazon.com/federation'],
    ['eu-central-2', 'aws', 'console.aws.amazon.com', 'https://signin.aws.amazon.com/federation'],
    ['us-gov-west-1', 'aws-us-gov', 'console.amazonaws-us-gov.com', 'https://signin.amazonaws-us-gov.com/federation'],
    ['cn-northwest-1', 'aws-cn', 'console.amazonaws.cn', 'https://signin.amazonaws.cn/federation'],
    ['eusc-de-east-1', 'aws-eusc', 'console.amazonaws-eusc.eu', undefined],
    ['us-iso-east-1', 'aws-iso', undefined, undefined],
  ])('puts %s in %s, whose console is %s and federation endpoint %s', (region, id, consoleHost, signinUrl) => {
    expect(partitionOf(region)).toEqual({ id, ...(consoleHost ? { consoleHost } : {}), ...(signinUrl ? { signinUrl } : {}) });
  });
});

describe('console destinations', () => {
  it('opens each partition on its own console host', () => {
    expect(consoleDestination('eu-west-1', undefined)).toBe('https://console.aws.amazon.com/console/home?region=eu-west-1');
    expect(consoleDestination('us-gov-east-1', '/ec2/home')).toBe('https://console.amazonaws-us-gov.com/ec2/home?region=us-gov-east-1');
    expect(consoleDestination('cn-north-1', '/s3/home')).toBe('https://console.amazonaws.cn/s3/home?region=cn-north-1');
    expect(consoleDestination('eusc-de-east-1', undefined)).toBe('https://console.amazonaws-eusc.eu/console/home?region=eusc-de-east-1');
    expect(isConsoleDestination('https://eusc-de-east-1.console.amazonaws-eusc.eu/ec2/home')).toBe(true);
  });

  it('reads the region a console page names: its host prefix first, else its region parameter', () => {
    expect(regionOfDestination('https://us-west-2.console.aws.amazon.com/ec2/home?region=us-west-2#Instances:')).toBe('us-west-2');
    expect(regionOfDestination('https://us-west-2.console.aws.amazon.com/ec2/home?region=eu-west-1')).toBe('us-west-2');
    expect(regionOfDestination('https://console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:')).toBe('eu-west-1');
    expect(regionOfDestination('/lambda/home?region=ap-southeast-2#/functions')).toBe('ap-southeast-2');
    expect(regionOfDestination('https://eusc-de-east-1.console.amazonaws-eusc.eu/ec2/home')).toBe('eusc-de-east-1');
    expect(regionOfDestination('https://s3.console.aws.amazon.com/s3/buckets')).toBeUndefined();
    expect(regionOfDestination('/ec2/home')).toBeUndefined();
    expect(regionOfDestination('/ec2/home?region=nowhere')).toBeUndefined();
  });

  it('lets a regional console page choose the region when the request names none; a region asked for wins', () => {
    const instance = instanceIn('us-east-1');
    const regional = 'https://us-west-2.console.aws.amazon.com/ec2/home?region=us-west-2#Instances:';
    expect(consoleRegion(instance, undefined, regional)).toBe('us-west-2');
    expect(consoleDestination('us-west-2', regional)).toBe('https://us-west-2.console.aws.amazon.com/ec2/home?region=us-west-2#Instances:');
    expect(consoleRegion(instance, 'eu-west-1', regional)).toBe('eu-west-1');
    // The page moves to the region's own console host rather than mixing two regions.
    expect(consoleDestination('eu-west-1', regional)).toBe('https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:');
    expect(consoleRegion(instance, undefined, '/ec2/home')).toBe('us-east-1');
    expect(consoleRegion(instance, undefined, undefined)).toBe('us-east-1');
  });

  it('refuses a console region or page of another partition than the Identity Center', () => {
    const commercial = instanceIn('eu-west-1');
    expect(() => consoleRegion(commercial, 'us-gov-west-1', undefined)).toThrow(expect.objectContaining({ code: 'bad_request' }));
    expect(() => consoleRegion(commercial, 'cn-north-1', undefined)).toThrow('the AWS commercial regions');
    expect(() => consoleRegion(commercial, undefined, 'https://cn-north-1.console.amazonaws.cn/ec2/home')).toThrow(expect.objectContaining({ code: 'bad_request' }));
    expect(() => consoleDestination('eu-west-1', 'https://console.amazonaws.cn/ec2/home')).toThrow(expect.objectContaining({ code: 'bad_request' }));
    const govCloud = instanceIn('us-gov-west-1');
    expect(consoleRegion(govCloud, 'us-gov-east-1', undefined)).toBe('us-gov-east-1');
    expect(() => consoleRegion(govCloud, 'us-east-1', undefined)).toThrow('AWS GovCloud (US)');
  });
});

describe('start URLs of GovCloud and China', () => {
  it.each([
    ['https://start.us-gov-home.awsapps.com/directory/d-9067abcdef', 'd-9067abcdef'],
    ['https://start.home.awsapps.cn/directory/d-9067abcdef', 'd-9067abcdef'],
    ['https://d-1234567890.awsapps.com/start', 'd-1234567890'],
    ['https://my-company.awsapps.com/start/', 'my-company'],
  ])('names the sso-session of %s after its directory: %s', (startUrl, name) => {
    expect(ssoSessionName(startUrl)).toBe(name);
    const text = buildAwsConfig({ sessionName: ssoSessionName(startUrl), startUrl, ssoRegion: 'us-gov-west-1', accounts: [] });
    expect(text).toContain(`[sso-session ${name}]\nsso_start_url = ${startUrl}\n`);
  });
});
