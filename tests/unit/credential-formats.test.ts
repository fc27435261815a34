import { describe, expect, it } from 'vitest';

import { buildAwsConfig, profileNames, ssoSessionName } from '@/lib/shared/aws-config';
import {
  CREDENTIAL_FORMATS,
  defaultProfileName,
  FORMAT_INFO,
  formatCredentials,
  isoSeconds,
  pythonIsoFormat,
} from '@/lib/shared/credential-formats';

const CREDENTIALS = {
  accessKeyId: 'ASIAEXAMPLE123456789',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE+/=token',
  expiration: '2026-11-26T09:15:30Z',
};

describe('credential formats', () => {
  it('writes the expiration as Python isoformat, as the AWS CLI does', () => {
    expect(pythonIsoFormat('2026-11-26T09:15:30Z')).toBe('2026-11-26T09:15:30+00:00');
    expect(isoSeconds(Date.UTC(2026, 10, 26, 9, 15, 30, 999))).toBe('2026-11-26T09:15:30Z');
  });

  it('renders the shell formats line by line', () => {
    expect(formatCredentials(CREDENTIALS, 'env')).toBe(
      'export AWS_ACCESS_KEY_ID=ASIAEXAMPLE123456789\n' +
        'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n' +
        'export AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEXAMPLE+/=token\n' +
        'export AWS_CREDENTIAL_EXPIRATION=2026-11-26T09:15:30+00:00\n',
    );
    expect(formatCredentials(CREDENTIALS, 'powershell').split('\n')[0]).toBe('$Env:AWS_ACCESS_KEY_ID="ASIAEXAMPLE123456789"');
    expect(formatCredentials(CREDENTIALS, 'windows-cmd').split('\n')[0]).toBe('set AWS_ACCESS_KEY_ID=ASIAEXAMPLE123456789');
    expect(formatCredentials(CREDENTIALS, 'fish').split('\n')[0]).toBe('set -gx AWS_ACCESS_KEY_ID "ASIAEXAMPLE123456789"');
    expect(formatCredentials(CREDENTIALS, 'env-no-export').split('\n')[0]).toBe('AWS_ACCESS_KEY_ID=ASIAEXAMPLE123456789');
  });

  it('says which formats the AWS CLI writes too: those of `aws configure export-credentials --format`, fish included', () => {
    // The current AWS CLI's formats (awscli/customizations/configure/exportcreds.py); fish writes `set -gx NAME "value"`.
    expect(CREDENTIAL_FORMATS.filter((format) => FORMAT_INFO[format].awsCli).sort()).toEqual(['env', 'env-no-export', 'fish', 'powershell', 'process', 'windows-cmd']);
    expect(formatCredentials(CREDENTIALS, 'fish')).toBe(
      'set -gx AWS_ACCESS_KEY_ID "ASIAEXAMPLE123456789"\n' +
        'set -gx AWS_SECRET_ACCESS_KEY "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n' +
        'set -gx AWS_SESSION_TOKEN "IQoJb3JpZ2luX2VjEXAMPLE+/=token"\n' +
        'set -gx AWS_CREDENTIAL_EXPIRATION "2026-11-26T09:15:30+00:00"\n',
    );
  });

  it('adds the region lines only when asked', () => {
    expect(formatCredentials(CREDENTIALS, 'env')).not.toContain('REGION');
    const withRegion = formatCredentials(CREDENTIALS, 'env', { region: 'eu-west-1' });
    expect(withRegion).toContain('export AWS_REGION=eu-west-1\n');
    expect(withRegion).toContain('export AWS_DEFAULT_REGION=eu-west-1\n');
    expect(formatCredentials(CREDENTIALS, 'ini', { region: 'eu-west-1' })).toContain('region = eu-west-1\n');
  });

  it('writes credential_process JSON with two-space indent and a trailing newline', () => {
    expect(formatCredentials(CREDENTIALS, 'process')).toBe(
      '{\n  "Version": 1,\n  "AccessKeyId": "ASIAEXAMPLE123456789",\n' +
        '  "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",\n' +
        '  "SessionToken": "IQoJb3JpZ2luX2VjEXAMPLE+/=token",\n  "Expiration": "2026-11-26T09:15:30+00:00"\n}\n',
    );
  });

  it('names the credentials-file profile, refusing names that would break the file', () => {
    expect(formatCredentials(CREDENTIALS, 'ini', { profileName: 'payments-prod.Admin' }).split('\n')[0]).toBe('[payments-prod.Admin]');
    expect(formatCredentials(CREDENTIALS, 'ini', { profileName: 'bad]\n[name' }).split('\n')[0]).toBe('[default]');
    expect(defaultProfileName('Payments Prod (EU)', 'AdministratorAccess')).toBe('payments-prod-eu.AdministratorAccess');
  });

  it('puts every value on its own line in every format: nothing is lost or merged', () => {
    for (const format of CREDENTIAL_FORMATS) {
      const text = formatCredentials(CREDENTIALS, format);
      for (const value of [CREDENTIALS.accessKeyId, CREDENTIALS.secretAccessKey, CREDENTIALS.sessionToken]) {
        expect(text.split('\n').filter((line) => line.includes(value))).toHaveLength(1);
      }
    }
  });
});

describe('the ~/.aws/config export', () => {
  const accounts = [
    { accountId: '111111111111', accountName: 'payments-prod', roles: ['ReadOnly', 'Admin'] },
    { accountId: '222222222222', accountName: 'Shared', roles: ['Admin'] },
    { accountId: '333333333333', accountName: 'shared', roles: ['Admin'] },
  ];

  it('gives every role a readable, unique, stable profile name', () => {
    const names = profileNames(accounts);
    expect(names.get('111111111111/Admin')).toBe('payments-prod.Admin');
    expect(names.get('222222222222/Admin')).toBe('shared-222222222222.Admin');
    expect(names.get('333333333333/Admin')).toBe('shared-333333333333.Admin');
    expect(new Set(names.values()).size).toBe(names.size);
    expect(profileNames([...accounts].reverse())).toEqual(names);
  });

  it('writes one sso-session and one profile per role, and no secret', () => {
    const text = buildAwsConfig({
      sessionName: ssoSessionName('https://d-1234567890.awsapps.com/start'),
      startUrl: 'https://d-1234567890.awsapps.com/start',
      ssoRegion: 'eu-west-1',
      region: 'eu-central-1',
      accounts,
    });
    expect(text.match(/^\[sso-session d-1234567890\]$/gm)).toHaveLength(1);
    expect(text.match(/^\[profile /gm)).toHaveLength(4);
    expect(text).toContain('[profile payments-prod.ReadOnly]\n# payments-prod (111111111111)\nsso_session = d-1234567890\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\nregion = eu-central-1\n');
    expect(text).not.toMatch(/aws_secret_access_key|aws_session_token|services/);
  });

  it('points the profiles at other endpoints when the portal uses them (the demo emulator)', () => {
    const text = buildAwsConfig({
      sessionName: 'gatehouse-demo',
      startUrl: 'https://gatehouse-demo.awsapps.com/start',
      ssoRegion: 'us-east-1',
      endpoints: { sso: 'http://127.0.0.1:4599', ssoOidc: 'http://127.0.0.1:4599', sts: 'http://127.0.0.1:4599' },
      accounts: accounts.slice(0, 1),
    });
    expect(text).toContain('services = gatehouse-demo-endpoints\n');
    expect(text).toContain('[services gatehouse-demo-endpoints]\nsso_oidc =\n  endpoint_url = http://127.0.0.1:4599\n');
  });
});
