/** An HTTP client for the portal's API that behaves like the portal's own pages (same-origin JSON requests, a cookie jar), and signing in through it. */
import type { RunningEmulator } from '../../emulator/server';

/** The session cookie of the default Identity Center instance. */
export const SESSION_COOKIE = '__Host-gatehouse-session';

export class PortalClient {
  readonly cookies = new Map<string, string>();

  constructor(
    public baseUrl: string,
    /** Sent with every request (an authenticating proxy's identity header, a forwarded address). */
    public extraHeaders: Record<string, string> = {},
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair?.indexOf('=') ?? -1;
      if (!pair || index < 1) continue;
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string, headers: Record<string, string> = {}, init: { signal?: AbortSignal } = {}): Promise<Response> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      headers: { cookie: this.cookieHeader(), ...this.extraHeaders, ...headers },
      redirect: 'manual',
      signal: init.signal,
    });
    this.remember(response);
    return response;
  }

  async post(path: string, body: unknown = {}, headers: Record<string, string> = {}, init: { signal?: AbortSignal } = {}): Promise<Response> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        cookie: this.cookieHeader(),
        origin: this.baseUrl,
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/json',
        ...this.extraHeaders,
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
      signal: init.signal,
    });
    this.remember(response);
    return response;
  }

  /** The same person (same cookie jar, same headers) talking to another portal instance. */
  on(baseUrl: string): PortalClient {
    const other = new PortalClient(baseUrl, this.extraHeaders);
    for (const [name, value] of this.cookies) other.cookies.set(name, value);
    return other;
  }
}

export interface PollOptions {
  /** With several Identity Center instances: which one. */
  instance?: string;
  /** Sees every poll's answer before the poll reads it (so it reads the body from a clone, if at all). */
  onPoll?: (answer: Response) => unknown;
}

const instanceQuery = (instance: string | undefined) => (instance ? `?instance=${instance}` : '');

/** Polls the sign-in at the pace the server asks for until it settles; returns the final status. */
export async function pollSignIn(client: PortalClient, options: PollOptions = {}): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await client.post(`/api/auth/device/poll${instanceQuery(options.instance)}`);
    await options.onPoll?.(response);
    if (response.status !== 200) throw new Error(`poll answered ${response.status}: ${await response.text()}`);
    const { status, retryAfterMs } = (await response.json()) as { status: string; retryAfterMs?: number };
    if (status !== 'pending') return status;
    if (Date.now() > deadline) throw new Error('the sign-in was still pending after 20 s');
    await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterMs ?? 500, 1000)));
  }
}

export interface SignInOptions extends PollOptions {
  /** Sees the answer that started the flow, before the flow is approved and before the sign-in reads it (read the body from a clone). */
  onStarted?: (answer: Response) => unknown;
}

/**
 * Signs in through the API as the sign-in page does, the flow approved on the emulator as `userName`.
 * `person` is the portal's URL (a new client) or a client whose cookie jar and headers to sign in with.
 */
/** Who approves a device code at Identity Center: the in-process emulator, or its admin API over HTTP. */
export interface Approver {
  admin: { approve(userCode: string, userName: string): unknown };
}

export async function signIn(person: string | PortalClient, emulator: Approver | Pick<RunningEmulator, 'admin'>, userName: string, options: SignInOptions = {}): Promise<PortalClient> {
  const client = typeof person === 'string' ? new PortalClient(person) : person;
  const start = await client.post(`/api/auth/device${instanceQuery(options.instance)}`);
  await options.onStarted?.(start);
  if (start.status !== 200) throw new Error(`sign-in start answered ${start.status}: ${await start.text()}`);
  const { userCode } = (await start.json()) as { userCode: string };
  await emulator.admin.approve(userCode, userName);
  const status = await pollSignIn(client, options);
  if (status !== 'approved') throw new Error(`sign-in ended ${status}`);
  return client;
}
