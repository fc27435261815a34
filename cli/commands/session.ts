/** `gatehouse login`, `logout` and `status`. */
import { openInBrowser } from '../browser';
import { type Context, type Output } from '../context';
import { CliError, forTerminal } from '../errors';
import { normalisePortalUrl, PortalError } from '../portal';
import { type LoginStart, loginPollSchema, loginStartSchema, logoutSchema, SESSION_ENDINGS, sessionSchema } from '../schemas';
import { readStore, removeSession, saveSession } from '../token-store';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function when(iso: string, now: number): string {
  const at = new Date(iso);
  const minutes = Math.max(0, Math.round((at.getTime() - now) / 60_000));
  const left = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return `${at.toISOString().replace(/\.\d+Z$/, 'Z')} (in ${left})`;
}

/** The portal's confirmation page, as the login answer names it: on the portal's own scheme rules, at /terminal/confirm. */
function confirmationPage(start: LoginStart): string {
  const url = new URL(start.confirmUrl);
  let origin: string;
  try {
    origin = normalisePortalUrl(url.href);
  } catch {
    origin = '';
  }
  if (!origin || url.pathname !== '/terminal/confirm' || url.hash !== '') {
    throw new CliError('The portal sent a confirmation link that is not its confirmation page (/terminal/confirm): is it a Gatehouse portal?');
  }
  return url.href;
}

/**
 * One status line while the sign-in waits: rewritten in place on a terminal, one line per change
 * otherwise (a log, CI).
 */
function statusLine(stderr: Output, tty: boolean) {
  let shown: string | undefined;
  return {
    show(text: string) {
      if (text === shown) return;
      stderr.write(tty ? `\r\x1b[2K${text}` : `${text}\n`);
      shown = text;
    },
    clear() {
      if (tty && shown !== undefined) stderr.write('\r\x1b[2K');
      shown = undefined;
    },
  };
}

export async function login(context: Context, options: { browser: boolean }): Promise<void> {
  const { io } = context;
  const portal = context.namedPortal() ?? readStore(context.configDirectory).current?.portal;
  if (!portal) {
    throw new CliError('Which portal? Run `gatehouse login --portal https://gatehouse.example.com` (or set GATEHOUSE_PORTAL).', 2);
  }
  const instance = context.options.instance;
  const start = await context.api(portal, instance).json('POST', '/api/cli/login', loginStartSchema);
  const page = confirmationPage(start);
  io.stderr.write(`Signing in to Gatehouse at ${portal} (${start.instance.name}).\n`);
  io.stderr.write(`Open ${page}\n`);
  io.stderr.write(`and check that it shows the words ${start.words} before you confirm.\n`);
  if (options.browser && openInBrowser(page, io.platform, io.env)) io.stderr.write('(Opened in your browser.)\n');

  const status = statusLine(io.stderr, io.stderrIsTty === true);
  const poller = context.api(portal, instance, start.loginToken);
  const deadline = Date.parse(start.expiresAt);
  const expired = 'The sign-in expired before it was confirmed: run `gatehouse login` again.';
  let waitMs = start.intervalSeconds * 1000;
  status.show('Waiting for you to confirm in the portal…');
  try {
    for (;;) {
      await sleep(waitMs);
      const poll = await poller.json('POST', '/api/cli/login/poll', loginPollSchema, {
        ended: 'The sign-in ended before it was confirmed: run `gatehouse login` again.',
      });
      if (poll.status === 'pending') {
        if (io.now() > deadline) throw new CliError(expired);
        status.show(poll.confirmed ? 'Confirmed; waiting for Identity Center…' : 'Waiting for you to confirm in the portal…');
        waitMs = poll.retryAfterMs ?? waitMs;
        continue;
      }
      status.clear();
      if (poll.status === 'denied') throw new CliError('The sign-in was denied in Identity Center.');
      if (poll.status === 'expired') throw new CliError(expired);
      if (poll.status === 'refused') {
        const why = forTerminal(poll.message ?? '');
        throw new CliError(`The sign-in was refused in the portal${why ? `: ${why}` : '.'}`);
      }
      const previous = readStore(context.configDirectory).sessions.find((s) => s.portal === portal && s.instance.key === poll.session.instance.key);
      saveSession(context.configDirectory, {
        portal,
        instance: poll.session.instance,
        instanceChosen: instance !== undefined,
        token: poll.token,
        user: poll.session.user,
        expiresAt: poll.session.expiresAt,
        savedAt: new Date(io.now()).toISOString(),
      });
      // The session this one replaces is ended at the portal too, so it does not linger until it times out.
      if (previous && previous.token !== poll.token) {
        await context
          .api(portal, previous.instanceChosen ? previous.instance.key : undefined, previous.token)
          .json('POST', '/api/cli/logout', logoutSchema)
          .catch(() => undefined);
      }
      io.stderr.write(
        `Signed in${poll.session.user ? ` as ${poll.session.user}` : ''} to ${portal} (${poll.session.instance.name}) until ${when(poll.session.expiresAt, io.now())}.\n`,
      );
      return;
    }
  } finally {
    status.clear();
  }
}

export async function logout(context: Context): Promise<void> {
  const target = context.target();
  let ended = true;
  try {
    await context.apiFor(target).json('POST', '/api/cli/logout', logoutSchema);
  } catch (error) {
    // A session that had already ended is signed out all the same; anything else keeps the token to try again.
    if (!(error instanceof PortalError && (error.code === 'session_ended' || error.code === 'unauthenticated'))) throw error;
    ended = false;
  }
  if (target.session) removeSession(context.configDirectory, target.session.portal, target.session.instance.key);
  context.io.stderr.write(ended ? `Signed out of ${target.portal}.\n` : `The session at ${target.portal} had already ended; removed it from this machine.\n`);
}

export async function status(context: Context): Promise<void> {
  const target = context.target();
  const session = await context.apiFor(target).json('GET', '/api/cli/session', sessionSchema);
  const lines = [
    `Portal:   ${target.portal}`,
    `Instance: ${session.instance.name} (${session.instance.key})`,
    `User:     ${session.user ?? '(not known yet)'}`,
    `Ends:     ${when(session.expiresAt, context.io.now())}${session.endsBecause ? describeEnding(session.endsBecause) : ''}`,
  ];
  context.io.stdout.write(`${lines.join('\n')}\n`);
}

/** Why the session ends then, for the reasons this command knows; nothing for another (a newer portal's). */
function describeEnding(reason: string): string {
  if (!(SESSION_ENDINGS as readonly string[]).includes(reason)) return '';
  switch (reason) {
    case 'idle':
      return ', unless it is used before then';
    case 'absolute':
      return ', its longest allowed length';
    default:
      return ', when the Identity Center session ends';
  }
}
