/** Two Identity Center organisations behind one portal: two emulators (production with the demo directory, a sandbox in another region) listed in a GATEHOUSE_CONFIG file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateOrganisation } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import type { Directory, DirectoryAccount } from '../../emulator/types';
import { type RunningPortal, startPortal } from './portal-process';

export const SANDBOX_START_URL = 'https://sandbox-example.awsapps.com/start';
export const SANDBOX_REGION = 'eu-west-1';

export interface TwoOrganisations {
  production: RunningEmulator;
  sandbox: RunningEmulator;
  portal: RunningPortal;
  /** The production account the configuration file gives a nickname. */
  nicknamed: { accountId: string; accountName: string; nickname: string };
  close(): Promise<void>;
}

/** A person's accounts in a directory, with their roles, sorted. */
export function accountsWithRoles(directory: Directory, userName: string): (DirectoryAccount & { roles: string[] })[] {
  return directory.accounts
    .map((account) => ({
      ...account,
      roles: directory.assignments.filter((a) => a.userName === userName && a.accountId === account.accountId).map((a) => a.roleName).sort(),
    }))
    .filter((account) => account.roles.length > 0);
}

/** The branding the two organisations' configuration gives the portal. */
export const ORGANISATION_NAME = 'Example Corp';
export const HELP_URL = 'https://wiki.example.com/aws-access';
export const ORGANISATION_LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect width="32" height="32" fill="#0f766e"/></svg>\n';
/** The default region the configuration gives the production organisation's staging accounts. */
export const STAGING_REGION = 'eu-west-3';

export async function startTwoOrganisations(env: Record<string, string> = {}): Promise<TwoOrganisations> {
  const production = await createEmulator({ port: 0 });
  const sandbox = await createEmulator({
    port: 0,
    region: SANDBOX_REGION,
    directory: generateOrganisation({
      accounts: 5,
      rolesPerAccount: 2,
      users: ['operator'],
      seed: 77,
      instanceName: 'Sandbox organisation',
      startUrl: SANDBOX_START_URL,
    }),
  });
  const payments = production.ctx.directory.accounts.find((account) => account.accountName === 'payments-prod');
  if (!payments) throw new Error('the demo directory has no payments-prod account');
  const nicknamed = { accountId: payments.accountId, accountName: payments.accountName, nickname: 'card-payments' };
  const directory = mkdtempSync(path.join(tmpdir(), 'gatehouse-instances-'));
  const file = path.join(directory, 'gatehouse.yaml');
  writeFileSync(path.join(directory, 'logo.svg'), ORGANISATION_LOGO);
  writeFileSync(
    file,
    [
      'branding:',
      `  organization: ${ORGANISATION_NAME}`,
      '  logo: logo.svg',
      `  helpUrl: ${HELP_URL}`,
      'instances:',
      '  - name: Production',
      `    startUrl: ${production.ctx.directory.startUrl}`,
      '    ssoRegion: us-east-1',
      '    consoleRegion: eu-central-1',
      `    endpointUrl: ${production.url}`,
      `    signinUrl: ${production.url}/federation`,
      '    accountNicknames:',
      `      "${nicknamed.accountId}": ${nicknamed.nickname}`,
      '    accountLabels:',
      '      - label: production',
      '        color: red',
      "        names: ['*-prod']",
      '      - label: pci',
      '        color: amber',
      `        accounts: ['${nicknamed.accountId}']`,
      '      - label: staging',
      "        names: ['*-staging']",
      `        region: ${STAGING_REGION}`,
      '  - name: Sandbox',
      `    startUrl: ${SANDBOX_START_URL}`,
      `    ssoRegion: ${SANDBOX_REGION}`,
      `    endpointUrl: ${sandbox.url}`,
      `    signinUrl: ${sandbox.url}/federation`,
      '',
    ].join('\n'),
  );
  const portal = await startPortal({
    emulatorPort: production.port,
    env: { GATEHOUSE_CONFIG: file, SESSION_SECRET: 'instances-test-secret-'.padEnd(48, 'x'), ...env },
  });
  return {
    production,
    sandbox,
    portal,
    nicknamed,
    close: async () => {
      await portal.stop();
      await Promise.all([production.close(), sandbox.close()]);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
