/**
 * The device verification page (the `verificationUriComplete` link): shows which client asked, the code,
 * a user picker and Approve / Deny. No scripts (sendHtml's CSP forbids them); every value is escaped.
 */
import { z } from 'zod';
import { indexDirectory } from './directory';
import { escapeHtml, sendHtml } from './http';
import type { EmulatorRuntime } from './runtime';
import { normalizeUserCode, type DecisionResult, type DeviceAuthorization } from './store';
import type { EmulatorRequest } from './types';

const EMULATOR_NAME = 'Identity Center emulator';

const STYLE = `
:root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
body { margin: 0; background: Canvas; color: CanvasText; }
main { max-width: 34rem; margin: 3rem auto; padding: 0 1.25rem; }
.badge { display: inline-block; font-size: .8rem; padding: .15rem .5rem; border: 1px solid currentColor; border-radius: 999px; }
h1 { font-size: 1.5rem; margin: .75rem 0 1rem; }
.code { font: 700 2.5rem/1.2 ui-monospace, SFMono-Regular, Menlo, monospace; letter-spacing: .15em; margin: 1rem 0; }
.warn { border-left: 4px solid #b45309; padding: .5rem .75rem; background: rgba(180, 83, 9, .1); }
label { display: block; font-weight: 600; margin: 1.25rem 0 .35rem; }
select, input[type=text] { font: inherit; padding: .5rem; width: 100%; box-sizing: border-box; }
.actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
button { font: inherit; padding: .6rem 1.4rem; border-radius: .4rem; border: 1px solid #1f2937; cursor: pointer; }
button.primary { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
button:focus-visible, select:focus-visible, input:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.muted { opacity: .8; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · ${EMULATOR_NAME}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p><span class="badge">${EMULATOR_NAME}</span></p>
${body}
</main>
</body>
</html>
`;
}

function message(title: string, text: string, extra = ''): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>\n${extra}`);
}

function enterCodeForm(instanceName: string, hint = ''): string {
  return layout('Enter your code', `<h1>Sign in to ${escapeHtml(instanceName)}</h1>
${hint ? `<p class="warn" role="alert">${escapeHtml(hint)}</p>` : ''}
<form method="get" action="/device">
<label for="user_code">Code shown by the application</label>
<input type="text" id="user_code" name="user_code" autocomplete="off" autocapitalize="characters" spellcheck="false" required placeholder="ABCD-EFGH">
<div class="actions"><button class="primary" type="submit">Continue</button></div>
</form>`);
}

const postSchema = z.object({
  user_code: z.string().min(1).max(64),
  form_token: z.string().min(1).max(256),
  decision: z.enum(['approve', 'deny']),
  userName: z.string().max(128).optional(),
});

export function createPageHandlers(runtime: EmulatorRuntime) {
  const { ctx, store } = runtime;

  function consentPage(authorization: DeviceAuthorization): string {
    const users = ctx.directory.users
      .map((u) => `<option value="${escapeHtml(u.userName)}">${escapeHtml(u.displayName)} (${escapeHtml(u.userName)})</option>`)
      .join('\n');
    const client = escapeHtml(authorization.clientName);
    return layout('Authorize request', `<h1>Authorize request</h1>
<p><strong>${client}</strong> is asking to sign in to <strong>${escapeHtml(ctx.directory.instanceName)}</strong> and use your AWS accounts.</p>
<p class="warn">Only approve if you started this sign-in yourself and the code below matches the one the application shows you.</p>
<p class="muted">Code to compare</p>
<p class="code">${escapeHtml(authorization.userCode)}</p>
<form method="post" action="/device">
<input type="hidden" name="user_code" value="${escapeHtml(authorization.userCode)}">
<input type="hidden" name="form_token" value="${escapeHtml(authorization.formToken)}">
<label for="userName">Sign in as</label>
<select id="userName" name="userName">
${users}
</select>
<div class="actions">
<button class="primary" type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>`);
  }

  /** Unknown, expired or already-used codes get a page that says which. */
  function unusable(request: EmulatorRequest, authorization: DeviceAuthorization | undefined): boolean {
    if (!authorization) {
      sendHtml(request.res, 404, message('Code not found', 'This code is not known. Check it and try again, or start the sign-in again.'));
      return true;
    }
    if (ctx.clock.now() >= authorization.expiresAtMs) {
      sendHtml(request.res, 400, message('Code expired', 'This code has expired. Start the sign-in again in the application.'));
      return true;
    }
    if (authorization.status !== 'pending') {
      sendHtml(request.res, 400, message('Code already used', 'This code has already been approved or denied.'));
      return true;
    }
    return false;
  }

  function getDevice(request: EmulatorRequest): void {
    const raw = request.url.searchParams.get('user_code');
    if (raw === null || raw.trim() === '') {
      sendHtml(request.res, 200, enterCodeForm(ctx.directory.instanceName));
      return;
    }
    const authorization = raw.length <= 64 ? store.findByUserCode(raw) : undefined;
    if (unusable(request, authorization) || !authorization) return;
    sendHtml(request.res, 200, consentPage(authorization));
  }

  function postDevice(request: EmulatorRequest): void {
    const fields = Object.fromEntries(new URLSearchParams(request.body.toString('utf8')));
    const parsed = postSchema.safeParse(fields);
    if (!parsed.success) {
      sendHtml(request.res, 400, message('Invalid form', 'The form was incomplete. Open the link from the application again.'));
      return;
    }
    const input = parsed.data;
    const authorization = store.findByUserCode(normalizeUserCode(input.user_code));
    if (unusable(request, authorization) || !authorization) return;
    const now = ctx.clock.now();
    let result: DecisionResult;
    if (input.decision === 'approve') {
      const userName = input.userName ?? '';
      const knownUser = indexDirectory(ctx.directory).user(userName) !== undefined;
      result = store.decide(authorization.userCode, { approve: true, userName, knownUser }, now, input.form_token);
    } else {
      result = store.decide(authorization.userCode, { approve: false }, now, input.form_token);
    }
    if (!result.ok) {
      const status = result.reason === 'bad-form-token' ? 403 : 400;
      const text = result.reason === 'unknown-user'
        ? 'Pick a user from the list.'
        : 'This form is no longer valid. Open the link from the application again.';
      sendHtml(request.res, status, message('Not approved', text));
      return;
    }
    const client = authorization.clientName;
    if (input.decision === 'approve') {
      sendHtml(request.res, 200, message('Approved', `Approved — you can close this tab and return to ${client}.`));
    } else {
      sendHtml(request.res, 200, message('Denied', `Denied — ${client} was not given access.`));
    }
  }

  function index(request: EmulatorRequest): void {
    sendHtml(request.res, 200, layout(EMULATOR_NAME, `<h1>${EMULATOR_NAME}</h1>
<p>Emulating <strong>${escapeHtml(ctx.directory.instanceName)}</strong> (start URL <code>${escapeHtml(ctx.directory.startUrl)}</code>, region <code>${escapeHtml(ctx.region)}</code>).</p>
<p><a href="/device">Enter a device code</a></p>`));
  }

  return { getDevice, postDevice, index };
}
