import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  accountsWithRoles,
  HELP_URL,
  ORGANISATION_LOGO,
  ORGANISATION_NAME,
  STAGING_REGION,
  startTwoOrganisations,
  type TwoOrganisations,
} from '../../scripts/support/organisations';
import { PortalClient, SESSION_COOKIE, signIn } from '../../scripts/support/portal-client';
import { pageText, readListing, until } from '../support/api-session';
import { METRICS_TOKEN, sample, scrape } from '../support/metrics';

/**
 * The API with two Identity Center instances (GATEHOUSE_CONFIG): one cookie per instance, every
 * call about the instance `?instance=` names, and nothing of one organisation reachable through
 * the other.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('several Identity Center instances', () => {
  let orgs: TwoOrganisations;
  let person: PortalClient;

  beforeAll(async () => {
    orgs = await startTwoOrganisations({ METRICS_TOKEN });
    person = await signIn(orgs.portal.url, orgs.production, 'operator', { instance: 'production' });
    await signIn(person, orgs.sandbox, 'operator', { instance: 'sandbox' });
  });
  afterAll(async () => {
    await orgs.close();
  });

  it('keeps one session cookie per instance, and says where the browser stands with each', async () => {
    expect([...person.cookies.keys()].sort()).toEqual([`${SESSION_COOKIE}-production`, `${SESSION_COOKIE}-sandbox`]);
    const response = await person.get('/api/session?instance=sandbox');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      signedIn: true,
      instance: 'sandbox',
      instances: [
        { key: 'production', name: 'Production', signedIn: true },
        { key: 'sandbox', name: 'Sandbox', signedIn: true },
      ],
    });
  });

  it('lists each organisation’s own accounts, with the configured nicknames', async () => {
    const production = (await (await person.get('/api/accounts?instance=production')).json()) as { accounts: { accountId: string; nickname?: string }[] };
    const sandbox = (await (await person.get('/api/accounts?instance=sandbox')).json()) as { accounts: { accountId: string }[] };
    expect(production.accounts.map((a) => a.accountId).sort()).toEqual(accountsWithRoles(orgs.production.ctx.directory, 'operator').map((a) => a.accountId).sort());
    expect(sandbox.accounts.map((a) => a.accountId).sort()).toEqual(accountsWithRoles(orgs.sandbox.ctx.directory, 'operator').map((a) => a.accountId).sort());
    expect(production.accounts.find((a) => a.accountId === orgs.nicknamed.accountId)?.nickname).toBe('card-payments');

    const events = await readListing(await person.get('/api/accounts/stream?instance=production'));
    const streamed = events.flatMap((event) => (event.type === 'accounts' ? event.accounts : []));
    expect(streamed.find((a) => a.accountId === orgs.nicknamed.accountId)?.nickname).toBe('card-payments');
  });

  it('hands out credentials from the instance named, and refuses another organisation’s account', async () => {
    const sandboxAccount = accountsWithRoles(orgs.sandbox.ctx.directory, 'operator')[0]!;
    const productionAccount = accountsWithRoles(orgs.production.ctx.directory, 'operator')[0]!;
    const ok = await person.post('/api/credentials?instance=sandbox', { accountId: sandboxAccount.accountId, roleName: sandboxAccount.roles[0] });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { accessKeyId: string }).accessKeyId).toMatch(/^ASIA/);
    const crossed = await person.post('/api/credentials?instance=sandbox', { accountId: productionAccount.accountId, roleName: productionAccount.roles[0] });
    expect(crossed.status).toBe(403);
  });

  it.each(['staging', '../production', 'PRODUCTION', ''])('answers an unknown instance %j with a 400 in the error shape', async (instance) => {
    const response = await person.get(`/api/accounts?instance=${encodeURIComponent(instance)}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'unknown_instance', message: expect.stringContaining('No Identity Center instance') } });
  });

  it("shows the organisation's branding from the configuration: its name, its logo and the help link, on every page", async () => {
    const html = pageText(await (await person.get('/accounts?instance=production')).text());
    expect(html).toContain(`Gatehouse · ${ORGANISATION_NAME}`);
    const page = await (await person.get('/activity')).text();
    expect(page).toContain(`href="${HELP_URL}"`);
    expect(page).toContain('src="/branding/logo"');
    const signIn = await (await new PortalClient(orgs.portal.url).get('/sign-in')).text();
    expect(signIn).toContain(`href="${HELP_URL}"`);
    const logo = await fetch(`${orgs.portal.url}/branding/logo`);
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toBe('image/svg+xml');
    // Opened on its own, an SVG runs nothing: no script without the page's nonce.
    expect(logo.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(await logo.text()).toBe(ORGANISATION_LOGO);
  });

  it("labels the organisation's accounts as configured: on the role page, its console button and the exported profiles; a labelled account's own default region", async () => {
    const payments = orgs.nicknamed;
    const roleName = accountsWithRoles(orgs.production.ctx.directory, 'operator').find((account) => account.accountId === payments.accountId)!.roles[0]!;
    const html = await (await person.get(`/accounts/${payments.accountId}/${roleName}?instance=production`)).text();
    const text = pageText(html);
    expect(text).toContain(`${payments.accountId} production pci`);
    expect(text).toContain('Open console of a production, pci account (opens in a new tab)');
    // The tab names the role and the account by name.
    expect(html).toContain(`<title>${roleName} in ${payments.nickname} · Gatehouse</title>`);
    const config = await (await person.get('/api/aws-config?instance=production')).text();
    expect(config).toContain(`# ${payments.nickname} (${payments.accountId}) [production, pci]`);
    // A staging account takes the region its label gives it; others the instance's (eu-central-1).
    const staging = accountsWithRoles(orgs.production.ctx.directory, 'operator').find((account) => account.accountName.endsWith('-staging'))!;
    const stagingPage = await (await person.get(`/accounts/${staging.accountId}/${staging.roles[0]!}?instance=production`)).text();
    expect(stagingPage).toMatch(new RegExp(`<option value="${STAGING_REGION}" selected="">`));
    expect(html).toMatch(/<option value="eu-central-1" selected="">/);
  });

  it('reports each instance in readiness', async () => {
    const response = await person.get('/api/ready');
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { store: 'ok', identityCenter: 'ok', instances: { production: 'ok', sandbox: 'ok' } },
    });
  });

  it('gives every API request an id, in the response, the JSON log line and the audit record', async () => {
    const account = accountsWithRoles(orgs.production.ctx.directory, 'operator')[0]!;
    const response = await person.post('/api/credentials?instance=production', { accountId: account.accountId, roleName: account.roles[0] });
    const requestId = response.headers.get('x-request-id') ?? '';
    expect(requestId).toMatch(UUID);
    // The server's output reaches the test through a pipe: wait for both lines to arrive.
    const lines = await until('the request and audit lines', () => {
      const found = orgs.portal
        .output()
        .split('\n')
        .filter((line) => line.includes(requestId))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      return found.length >= 2 ? found : undefined;
    });
    expect(lines).toContainEqual(expect.objectContaining({ event: 'request', requestId, method: 'POST', route: '/api/credentials', status: 200 }));
    expect(lines).toContainEqual(expect.objectContaining({ audit: true, event: 'credentials_issued', requestId, accountId: account.accountId }));
    // Two requests, two ids.
    const again = await person.get('/api/health');
    expect(again.headers.get('x-request-id')).toMatch(UUID);
    expect(again.headers.get('x-request-id')).not.toBe(requestId);
  });

  it('signs out of one instance and keeps the other', async () => {
    const other = new PortalClient(orgs.portal.url);
    await signIn(other, orgs.production, 'developer', { instance: 'production' });
    await signIn(other, orgs.sandbox, 'operator', { instance: 'sandbox' });
    const out = await other.post('/api/auth/logout?instance=sandbox');
    expect(out.status).toBe(200);
    expect([...other.cookies.keys()]).toEqual([`${SESSION_COOKIE}-production`]);
    expect((await other.get('/api/accounts?instance=sandbox')).status).toBe(401);
    expect((await other.get('/api/accounts?instance=production')).status).toBe(200);
    // Without ?instance=, sign-out leaves nothing signed in.
    await signIn(other, orgs.sandbox, 'operator', { instance: 'sandbox' });
    expect((await other.post('/api/auth/logout')).status).toBe(200);
    expect(other.cookies.size).toBe(0);
  });

  it('sends someone signed in nowhere to choose an instance, and an abandoned sign-in does not pick the page’s instance', async () => {
    const nobody = new PortalClient(orgs.portal.url);
    for (const page of ['/accounts', '/activity']) {
      const response = await nobody.get(page);
      expect(response.status, page).toBe(307);
      expect(response.headers.get('location'), page).toBe('/sign-in');
    }
    // Signed in to the sandbox only, with a production sign-in started and left: the pages are the sandbox's.
    const someone = await signIn(orgs.portal.url, orgs.sandbox, 'operator', { instance: 'sandbox' });
    expect((await someone.post('/api/auth/device?instance=production')).status).toBe(200);
    expect(someone.cookies.has(`${SESSION_COOKIE}-production`)).toBe(true);
    const activity = await someone.get('/activity');
    expect(activity.status).toBe(200);
    expect(await activity.text()).toContain('Signed in to <strong class="text-slate-900 dark:text-white">Sandbox</strong>');
  });

  it('counts sign-ins, AWS calls and hand-outs per instance in the metrics', async () => {
    const text = await scrape(orgs.portal.url);
    for (const instance of ['production', 'sandbox']) {
      const of = { identity_center: instance };
      expect(sample(text, 'gatehouse_sign_ins_total', { ...of, outcome: 'approved' }), instance).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'gatehouse_handouts_total', { ...of, kind: 'credentials' }), instance).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'gatehouse_aws_calls_total', { ...of, operation: 'ListAccounts', outcome: 'success' }), instance).toBeGreaterThanOrEqual(1);
    }
  });
});
