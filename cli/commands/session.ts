/** `gatehouse login`, `logout` and `status`. */
import { openInBrowser } from '../browser';
import { type Context } from '../context';
import { CliError, SESSION_ENDED } from '../errors';
import { loginPollSchema, loginStartSchema, logoutSchema, sessionSchema } from '../schemas';
import { readStore, removeSession, saveSession } from '../token-store';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function when(iso: string, now: number): string {
  const at = new Date(iso);
  const minutes = Math.max(0, Math.round((at.getTime() - now) / 60_000));
  const left = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return `${at.toISOString().replace(/\.\d+Z$/, 'Z')} (in ${left})`;
}

export async function login(context: Context, options: { browser: boolean }): Promise<void> {
  const { io } = context;
  const portal = context.namedPortal() ?? readStore(context.configDirectory).current?.portal;
  if (!portal) {
    throw new CliError('Which portal? Run `gatehouse login --portal https://gatehouse.example.com` (or set GATEHOUSE_PORTAL).', 2);
  }
  const instance = context.options.instance;
  const start = await context.api(portal, instance).json('POST', '/api/cli/login', loginStartSchema);
  io.stderr.write(`Signing in to Gatehouse at ${portal} (${start.instance.name}).\n`);
  io.stderr.write(`Open ${start.verificationUriComplete}\n`);
  io.stderr.write(`and check that the page shows the code ${start.userCode} before you approve.\n`);
  if (options.browser && openInBrowser(start.verificationUriComplete, io.platform, io.env)) io.stderr.write('(Opened in your browser.)\n');
  io.stderr.write('Waiting for approval…\n');

  const poller = context.api(portal, instance, start.loginToken);
  const deadline = Date.parse(start.expiresAt);
  let waitMs = start.intervalSeconds * 1000;
  for (;;) {
    await sleep(waitMs);
    const poll = await poller.json('POST', '/api/cli/login/poll', loginPollSchema, {
      unauthorized: 'The sign-in ended before it was approved: run `gatehouse login` again.',
    });
    if (poll.status === 'pending') {
      if (io.now() > deadline) throw new CliError('The code expired before it was approved: run `gatehouse login` again.');
      waitMs = poll.retryAfterMs ?? waitMs;
      continue;
    }
    if (poll.status === 'denied') throw new CliError('The sign-in was denied.');
    if (poll.status === 'expired') throw new CliError('The code expired before it was approved: run `gatehouse login` again.');
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
}

export async function logout(context: Context): Promise<void> {
  const target = context.target();
  let ended = true;
  try {
    await context.apiFor(target).json('POST', '/api/cli/logout', logoutSchema);
  } catch (error) {
    // A session that had already ended is signed out all the same; anything else keeps the token to try again.
    if (!(error instanceof CliError && error.message === SESSION_ENDED)) throw error;
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
    `Ends:     ${when(session.expiresAt, context.io.now())}${session.endsBecause ? `, ${describeEnding(session.endsBecause)}` : ''}`,
  ];
  context.io.stdout.write(`${lines.join('\n')}\n`);
}

function describeEnding(reason: string): string {
  switch (reason) {
    case 'idle':
      return 'unless it is used before then';
    case 'absolute':
      return 'its longest allowed length';
    case 'identity_center':
      return 'when the Identity Center session ends';
    default:
      return reason;
  }
}
