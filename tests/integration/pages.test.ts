import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsWithRoles } from '../../scripts/support/organisations';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { type PortalClient } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { signInListed } from '../support/api-session';

/**
 * What answers say when something is wrong: which field of a request (the pages say which part of
 * the address: tests/e2e/error-pages.spec.ts); what the demo's labels look like.
 */
describe('pages that say what is wrong', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  let developer: PortalClient;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    portal = await startPortal({ emulatorPort: emulator.port });
    developer = await signInListed(portal.url, emulator, 'developer');
  });
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
  });

  it('a request with a bad field says which field', async () => {
    const refused = await developer.post('/api/credentials', { accountId: '123', roleName: 'ReadOnly' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      'The request body does not have the expected fields (accountId: an AWS account id is 12 digits).',
    );
    // A field it does not take is not echoed (it is the caller's text): the answer names the fields it does take.
    const unknown = await developer.post('/api/credentials', { accountId: '123456789012', roleName: 'ReadOnly', colour: 'red' });
    expect(unknown.status).toBe(400);
    const unknownMessage = ((await unknown.json()) as { error: { message: string } }).error.message;
    expect(unknownMessage).toMatch(/^The request body does not have the expected fields \(it takes only accountId, roleName\b.*\)\.$/);
    expect(unknownMessage).not.toContain('colour');
    const query = await developer.get('/api/aws-config?region=mars-west-100');
    expect(query.status).toBe(400);
    expect(((await query.json()) as { error: { message: string } }).error.message).toMatch(/\(region: an AWS region such as eu-west-1\)$/);
  });

  it("labels the demo's staging accounts, in amber, on the account's role page, and no other", async () => {
    const accounts = accountsWithRoles(emulator.ctx.directory, 'developer');
    const staging = accounts.find((account) => account.accountName.endsWith('-staging'))!;
    const html = await (await developer.get(`/accounts/${staging.accountId}/${staging.roles[0]!}`)).text();
    expect(html).toMatch(/data-label-color="amber"[^>]*>staging</);
    const dev = accounts.find((account) => account.accountName.endsWith('-dev'))!;
    expect(await (await developer.get(`/accounts/${dev.accountId}/${dev.roles[0]!}`)).text()).not.toContain('data-label-color');
  });
});
