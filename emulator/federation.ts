/**
 * Console federation (the AWS Sign-In `/federation` endpoint), docs/aws-wire-protocol.md §4:
 *   getSigninToken — trades role credentials for a short-lived, single-use sign-in token;
 *   login          — redeems the token. AWS would set console cookies and redirect to Destination;
 *                    the emulator renders a page that shows who got signed in where.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { escapeHtml, sendHtml, sendJson } from './http';
import { assumedRoleArn } from './sts';
import type { EmulatorContext, EmulatorRequest, RoleCredentialSession, SigninTokenRecord } from './types';

const MIN_SESSION_DURATION = 900;
const MAX_SESSION_DURATION = 43200;

const MSG_BAD_CREDENTIALS = 'Invalid Credentials Parameter. The request sent by the client was syntactically incorrect.';
const MSG_BAD_DURATION =
  `Invalid SessionDuration Parameter. SessionDuration must be an integer between ${MIN_SESSION_DURATION} and ` +
  `${MAX_SESSION_DURATION} seconds. The request sent by the client was syntactically incorrect.`;

/**
 * The real endpoint does not check credentials at getSigninToken (doc §4.1), so the check happens at
 * login. SigninTokenRecord (shared type) only carries the access key id, so a digest of the secret
 * and session token the caller presented is kept beside each record, keyed by the record object
 * itself: it disappears together with the record, and no secret is stored in clear.
 */
const presentedCredentials = new WeakMap<SigninTokenRecord, Buffer>();

function credentialDigest(secretAccessKey: string, sessionToken: string): Buffer {
  return createHash('sha256').update(secretAccessKey).update('\0').update(sessionToken).digest();
}

// ---------------------------------------------------------------------------------------------
// Input schemas

const sessionJsonSchema = z.object({
  sessionId: z.string().min(1).max(128),
  sessionKey: z.string().min(1).max(1024),
  sessionToken: z.string().min(1).max(8192),
});

const sessionDurationSchema = z
  .string()
  .regex(/^\d{1,6}$/)
  .transform(Number)
  .pipe(z.number().int().min(MIN_SESSION_DURATION).max(MAX_SESSION_DURATION));

const getSigninTokenSchema = z.object({
  SessionDuration: z.string().optional(),
  Session: z.string().optional(),
  SessionType: z.literal('json').optional(),
});

const loginSchema = z.object({
  SigninToken: z.string().min(1).max(4096),
  Destination: z.string().min(1).max(8192),
  Issuer: z.string().max(8192).optional(),
});

/** Query parameters as single values; a repeated key is ambiguous and refused. */
function readParams(request: EmulatorRequest): Record<string, string> | undefined {
  const params = request.url.searchParams;
  const out: Record<string, string> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    if (values.length !== 1) return undefined;
    out[key] = values[0] ?? '';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Responses

function sendText(res: ServerResponse, status: number, text: string, requestId: string): void {
  res.writeHead(status, {
    'x-amzn-RequestId': requestId,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

const PAGE_STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; background: Canvas; color: CanvasText; }
  header { background: #232f3e; color: #fff; padding: 0.75rem 1.5rem; }
  header p { margin: 0; font-weight: 600; }
  main { max-width: 52rem; margin: 2rem auto; padding: 0 1.5rem; }
  h1 { font-size: 1.5rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5rem 1.5rem; }
  dt { font-weight: 600; }
  dd { margin: 0; overflow-wrap: anywhere; }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
  a { color: LinkText; }
  .note { border-left: 4px solid #ff9900; padding: 0.5rem 1rem; }
`;

function page(title: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<meta name="robots" content="noindex">\n<title>${escapeHtml(title)}</title>\n` +
    `<style>${PAGE_STYLE}</style>\n</head>\n<body>\n` +
    `<header><p>AWS Management Console (emulated)</p></header>\n` +
    `<main>\n${body}\n</main>\n</body>\n</html>\n`
  );
}

function errorPage(res: ServerResponse, message: string): void {
  sendHtml(
    res,
    400,
    page(
      'Sign-in failed – AWS Management Console (emulated)',
      `<h1>Sign-in failed</h1>\n<p role="alert">${escapeHtml(message)}</p>\n` +
        `<p>Request a new sign-in URL and try again. A sign-in token works once and only for a short time.</p>`,
    ),
  );
}

/** An http(s) URL as an absolute href, or undefined (javascript:, data:, relative, … are never linked). */
function webUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function regionOf(destination: string): string | undefined {
  try {
    return new URL(destination).searchParams.get('region') ?? undefined;
  } catch {
    return undefined;
  }
}

/** A SessionDuration in words: `4 hours`, `1 hour`, `15 minutes`, `1 hour 30 minutes`. */
function durationText(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const parts = [
    hours > 0 ? `${hours} hour${hours === 1 ? '' : 's'}` : '',
    minutes > 0 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : '',
    rest > 0 ? `${rest} second${rest === 1 ? '' : 's'}` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

function consolePage(
  ctx: EmulatorContext,
  session: RoleCredentialSession,
  consoleSession: { expiresAtMs: number; durationSeconds: number | undefined },
  destination: string,
  issuer: string | undefined,
): string {
  const account = ctx.directory.accounts.find((a) => a.accountId === session.accountId);
  const arn = assumedRoleArn(ctx, session);
  const region = regionOf(destination);
  const destinationHref = webUrl(destination);
  const issuerHref = issuer === undefined ? undefined : webUrl(issuer);
  const expires = new Date(consoleSession.expiresAtMs).toISOString();
  const accountText = account
    ? `${escapeHtml(account.accountName)} (<code>${escapeHtml(session.accountId)}</code>)`
    : `<code>${escapeHtml(session.accountId)}</code>`;

  const rows: [string, string][] = [
    ['Signed in as', `<strong>${escapeHtml(session.userName)}</strong>`],
    ['Account', accountText],
    ['Role', escapeHtml(session.roleName)],
    ['ARN', `<code>${escapeHtml(arn)}</code>`],
    ['Region', region ? `<code>${escapeHtml(region)}</code>` : 'Not given in the destination (console default)'],
    [
      'Destination',
      destinationHref
        ? `<a href="${escapeHtml(destinationHref)}" rel="noreferrer noopener">${escapeHtml(destination)}</a>`
        : `<code>${escapeHtml(destination)}</code> (not a web address, so not linked)`,
    ],
    [
      'Console session',
      consoleSession.durationSeconds === undefined
        ? 'As long as the role credentials (no SessionDuration)'
        : `${escapeHtml(durationText(consoleSession.durationSeconds))} (SessionDuration ${consoleSession.durationSeconds} s)`,
    ],
    ['Console session expires', `<time datetime="${escapeHtml(expires)}">${escapeHtml(expires.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC'))}</time>`],
  ];
  if (issuer !== undefined && issuer !== '') {
    rows.push([
      'Issuer',
      issuerHref
        ? `<a href="${escapeHtml(issuerHref)}" rel="noreferrer noopener">Back to ${escapeHtml(issuer)}</a>`
        : `<code>${escapeHtml(issuer)}</code> (not a web address, so not linked)`,
    ]);
  }
  const list = rows.map(([term, value]) => `  <dt>${escapeHtml(term)}</dt>\n  <dd>${value}</dd>`).join('\n');
  return page(
    'AWS Management Console (emulated)',
    `<h1>Signed in to the AWS Management Console (emulated)</h1>\n` +
      `<p class="note">This is the Identity Center emulator. The real sign-in endpoint would now open the ` +
      `console at the destination below; the emulator shows what that session would be.</p>\n` +
      `<dl>\n${list}\n</dl>`,
  );
}

// ---------------------------------------------------------------------------------------------
// Actions

function getSigninToken(request: EmulatorRequest, raw: Record<string, string>): void {
  const { ctx, res, requestId } = request;
  const params = getSigninTokenSchema.safeParse(raw);
  if (!params.success) {
    sendText(res, 400, MSG_BAD_CREDENTIALS, requestId);
    return;
  }
  let sessionDurationSeconds: number | undefined;
  if (params.data.SessionDuration !== undefined) {
    const duration = sessionDurationSchema.safeParse(params.data.SessionDuration);
    if (!duration.success) {
      sendText(res, 400, MSG_BAD_DURATION, requestId);
      return;
    }
    sessionDurationSeconds = duration.data;
  }
  let sessionJson: unknown;
  try {
    sessionJson = JSON.parse(params.data.Session ?? '');
  } catch {
    sessionJson = undefined;
  }
  const session = sessionJsonSchema.safeParse(sessionJson);
  if (!session.success) {
    sendText(res, 400, MSG_BAD_CREDENTIALS, requestId);
    return;
  }

  const now = ctx.clock.now();
  // Expired tokens are never redeemable; drop them so the map cannot grow without bound.
  for (const [token, record] of ctx.signinTokens) {
    if (record.expiresAtMs <= now) ctx.signinTokens.delete(token);
  }
  const token = randomBytes(48).toString('base64url');
  const record: SigninTokenRecord = {
    accessKeyId: session.data.sessionId,
    expiresAtMs: now + ctx.knobs.signinTokenTtlSeconds * 1000,
    ...(sessionDurationSeconds === undefined ? {} : { sessionDurationSeconds }),
  };
  ctx.signinTokens.set(token, record);
  presentedCredentials.set(record, credentialDigest(session.data.sessionKey, session.data.sessionToken));
  sendJson(res, 200, { SigninToken: token }, requestId);
}

function login(request: EmulatorRequest, raw: Record<string, string>): void {
  const { ctx, res } = request;
  const params = loginSchema.safeParse(raw);
  if (!params.success) {
    errorPage(res, 'The sign-in request is missing its SigninToken or Destination.');
    return;
  }
  const record = ctx.signinTokens.get(params.data.SigninToken);
  // Single use: the token is spent by the first attempt, whatever its outcome.
  ctx.signinTokens.delete(params.data.SigninToken);
  const now = ctx.clock.now();
  if (record === undefined || now >= record.expiresAtMs) {
    errorPage(res, 'The sign-in token is invalid, has already been used, or has expired.');
    return;
  }
  const session = ctx.roleCredentials.get(record.accessKeyId);
  const presented = presentedCredentials.get(record);
  const valid =
    session !== undefined &&
    presented !== undefined &&
    timingSafeEqual(presented, credentialDigest(session.secretAccessKey, session.sessionToken));
  if (!valid) {
    errorPage(res, 'The credentials behind this sign-in token are not valid.');
    return;
  }
  if (now >= session.expiresAtMs) {
    errorPage(res, 'The credentials behind this sign-in token have expired.');
    return;
  }
  // Without SessionDuration the console session lasts as long as the credentials (doc §4.1).
  const consoleExpiresAtMs =
    record.sessionDurationSeconds === undefined ? session.expiresAtMs : now + record.sessionDurationSeconds * 1000;
  sendHtml(
    res,
    200,
    consolePage(ctx, session, { expiresAtMs: consoleExpiresAtMs, durationSeconds: record.sessionDurationSeconds }, params.data.Destination, params.data.Issuer),
  );
}

export function handleFederation(request: EmulatorRequest): void {
  const params = readParams(request);
  if (params === undefined) {
    sendText(request.res, 400, 'The request sent by the client was syntactically incorrect.', request.requestId);
    return;
  }
  switch (params.Action) {
    case 'getSigninToken':
      getSigninToken(request, params);
      return;
    case 'login':
      login(request, params);
      return;
    default:
      sendText(request.res, 400, 'Unsupported Action. Use getSigninToken or login.', request.requestId);
  }
}
