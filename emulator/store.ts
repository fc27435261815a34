/**
 * In-memory state of the emulated Identity Center: OIDC client registrations, device authorizations,
 * sign-in sessions and the tokens that belong to them. Pure state and rules; HTTP shapes live in oidc.ts,
 * portal.ts and pages.ts. Every method takes `now` so the injected clock decides everything.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { randomBase64, randomBase64url, secureString } from './random';
import type { EmulatorKnobs } from './types';

export interface ClientRecord {
  clientId: string;
  clientSecret: string;
  clientName: string;
  scopes: string[];
  issuedAtMs: number;
  expiresAtMs: number;
}

export type DeviceStatus = 'pending' | 'approved' | 'denied' | 'consumed';

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  clientId: string;
  clientName: string;
  createdAtMs: number;
  expiresAtMs: number;
  /** Required seconds between polls; grows by 5 with every slow_down (RFC 8628 §3.5). */
  intervalSeconds: number;
  lastPollMs: number | undefined;
  status: DeviceStatus;
  userName: string | undefined;
  /** Anti-forgery value embedded in the device page form, so another site cannot post an approval. */
  formToken: string;
}

export interface SignInSession {
  id: string;
  userName: string;
  clientId: string;
  /** Whether the registration had REFRESHABLE_SCOPE: only then do its tokens come with a refresh token. */
  refreshable: boolean;
  startedAtMs: number;
  expiresAtMs: number;
  revoked: boolean;
}

interface AccessTokenRecord {
  sessionId: string;
  expiresAtMs: number;
}

interface RefreshTokenRecord {
  sessionId: string;
  clientId: string;
}

export interface IssuedTokens {
  accessToken: string;
  /** Absent for a registration without REFRESHABLE_SCOPE. */
  refreshToken?: string;
  expiresIn: number;
}

export type ClientCheck =
  | { ok: true; client: ClientRecord }
  | { ok: false; reason: 'unknown' | 'bad-secret' | 'expired' };

export type DecisionResult =
  | { ok: true; authorization: DeviceAuthorization }
  | { ok: false; reason: 'unknown-code' | 'expired' | 'already-decided' | 'unknown-user' | 'bad-form-token' };

export type DeviceGrantResult =
  | { ok: true; tokens: IssuedTokens }
  | { ok: false; reason: 'unknown' | 'wrong-client' | 'consumed' | 'expired' | 'denied' | 'slow-down' | 'pending' };

export type RefreshResult = { ok: true; tokens: IssuedTokens } | { ok: false };

/**
 * The scope that makes a sign-in refreshable: AWS issues refresh tokens only to registrations that ask
 * for it (sso-session profiles do; the legacy device flow registers no scope and gets none).
 */
export const REFRESHABLE_SCOPE = 'sso:account:access';

/** RFC 8628 §6.1: consonants only, so codes spell no words and avoid look-alikes (no vowels, no 0/O, 1/I). */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const GRACE_MS = 3_600_000;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time string comparison (hashing first equalises the lengths). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** Typed codes are forgiving: case, spaces and a missing dash do not matter. */
export function normalizeUserCode(input: string): string {
  const letters = input.toUpperCase().replace(/[^A-Z]/g, '');
  return letters.length === 8 ? `${letters.slice(0, 4)}-${letters.slice(4)}` : input.trim().toUpperCase();
}

export class SsoStore {
  private readonly clients = new Map<string, ClientRecord>();
  private readonly devices = new Map<string, DeviceAuthorization>();
  private readonly userCodes = new Map<string, string>();
  private readonly sessions = new Map<string, SignInSession>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private mutations = 0;

  /**
   * `secretMarker` is written into every client secret, device code and token, so a test can
   * search a whole system for any of them at once (canary tests); empty by default.
   */
  constructor(
    private readonly region: string,
    private readonly secretMarker = '',
  ) {}

  // ---- clients -------------------------------------------------------------------------------

  registerClient(clientName: string, scopes: string[], now: number, knobs: EmulatorKnobs): ClientRecord {
    this.maybeSweep(now);
    // Real ids are base64url with the region at the end (`…dXMtd2VzdC0y` → `…us-west-2`).
    const clientId = Buffer.concat([Buffer.from(randomBase64url(15), 'base64url'), Buffer.from(this.region)]).toString('base64url');
    const header = Buffer.from(JSON.stringify({ kid: 'key-emulator', alg: 'HS384' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ serialized: randomBase64(96) })).toString('base64url');
    const record: ClientRecord = {
      clientId,
      clientSecret: `${header}.${payload}.${this.secretMarker}${randomBase64url(48)}`,
      clientName,
      scopes,
      issuedAtMs: now,
      expiresAtMs: now + knobs.clientRegistrationTtlSeconds * 1000,
    };
    this.clients.set(clientId, record);
    return record;
  }

  checkClient(clientId: string, clientSecret: string, now: number): ClientCheck {
    const client = this.clients.get(clientId);
    if (!client) return { ok: false, reason: 'unknown' };
    if (!safeEqual(client.clientSecret, clientSecret)) return { ok: false, reason: 'bad-secret' };
    if (now >= client.expiresAtMs) return { ok: false, reason: 'expired' };
    return { ok: true, client };
  }

  // ---- device authorization ------------------------------------------------------------------

  startDeviceAuthorization(client: ClientRecord, now: number, knobs: EmulatorKnobs): DeviceAuthorization {
    this.maybeSweep(now);
    let userCode: string;
    do {
      const raw = secureString(USER_CODE_ALPHABET, 8);
      userCode = `${raw.slice(0, 4)}-${raw.slice(4)}`;
    } while (this.userCodes.has(userCode));
    const authorization: DeviceAuthorization = {
      deviceCode: `${this.secretMarker}${randomBase64url(64)}`,
      userCode,
      clientId: client.clientId,
      clientName: client.clientName,
      createdAtMs: now,
      expiresAtMs: now + knobs.deviceCodeTtlSeconds * 1000,
      intervalSeconds: knobs.pollIntervalSeconds,
      lastPollMs: undefined,
      status: 'pending',
      userName: undefined,
      formToken: randomBase64url(24),
    };
    this.devices.set(authorization.deviceCode, authorization);
    this.userCodes.set(userCode, authorization.deviceCode);
    return authorization;
  }

  /** Codes waiting for a person's decision, oldest first: what someone could be sent to approve. */
  pendingAuthorizations(now: number): { userCode: string; clientName: string; createdAt: string }[] {
    return [...this.devices.values()]
      .filter((device) => device.status === 'pending' && now < device.expiresAtMs)
      .sort((a, b) => a.createdAtMs - b.createdAtMs)
      .map((device) => ({ userCode: device.userCode, clientName: device.clientName, createdAt: new Date(device.createdAtMs).toISOString() }));
  }

  findByUserCode(userCode: string): DeviceAuthorization | undefined {
    const deviceCode = this.userCodes.get(normalizeUserCode(userCode));
    return deviceCode === undefined ? undefined : this.devices.get(deviceCode);
  }

  /** Approve or deny a pending code. `knownUser` says whether the user exists in the directory. */
  decide(
    userCode: string,
    decision: { approve: true; userName: string; knownUser: boolean } | { approve: false },
    now: number,
    formToken?: string,
  ): DecisionResult {
    const authorization = this.findByUserCode(userCode);
    if (!authorization) return { ok: false, reason: 'unknown-code' };
    if (formToken !== undefined && !safeEqual(formToken, authorization.formToken)) return { ok: false, reason: 'bad-form-token' };
    if (now >= authorization.expiresAtMs) return { ok: false, reason: 'expired' };
    if (authorization.status !== 'pending') return { ok: false, reason: 'already-decided' };
    if (decision.approve) {
      if (!decision.knownUser) return { ok: false, reason: 'unknown-user' };
      authorization.status = 'approved';
      authorization.userName = decision.userName;
    } else {
      authorization.status = 'denied';
    }
    return { ok: true, authorization };
  }

  /** One poll of the device code grant, following RFC 8628 §3.5. */
  pollDeviceCode(deviceCode: string, client: ClientRecord, now: number, knobs: EmulatorKnobs): DeviceGrantResult {
    const authorization = this.devices.get(deviceCode);
    if (!authorization) return { ok: false, reason: 'unknown' };
    if (authorization.clientId !== client.clientId) return { ok: false, reason: 'wrong-client' };
    if (authorization.status === 'consumed') return { ok: false, reason: 'consumed' };
    if (now >= authorization.expiresAtMs) return { ok: false, reason: 'expired' };
    if (authorization.status === 'denied') return { ok: false, reason: 'denied' };
    if (authorization.status === 'approved' && authorization.userName !== undefined) {
      authorization.status = 'consumed';
      const session = this.createSession(authorization.userName, client, now, knobs);
      return { ok: true, tokens: this.issueTokens(session, now, knobs) };
    }
    const previous = authorization.lastPollMs;
    authorization.lastPollMs = now;
    if (previous !== undefined && now - previous < authorization.intervalSeconds * 1000) {
      authorization.intervalSeconds += 5;
      return { ok: false, reason: 'slow-down' };
    }
    return { ok: false, reason: 'pending' };
  }

  // ---- sessions and tokens -------------------------------------------------------------------

  private createSession(userName: string, client: ClientRecord, now: number, knobs: EmulatorKnobs): SignInSession {
    const session: SignInSession = {
      id: randomBase64url(18),
      userName,
      clientId: client.clientId,
      refreshable: client.scopes.includes(REFRESHABLE_SCOPE),
      startedAtMs: now,
      expiresAtMs: now + knobs.ssoSessionTtlSeconds * 1000,
      revoked: false,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** Access tokens never outlive their sign-in, so expiresIn is capped at the session's remaining time. */
  private issueTokens(session: SignInSession, now: number, knobs: EmulatorKnobs): IssuedTokens {
    this.maybeSweep(now);
    const expiresAtMs = Math.min(now + knobs.accessTokenTtlSeconds * 1000, session.expiresAtMs);
    const accessToken = `aoa${this.secretMarker}${randomBase64url(48)}:${randomBase64(72)}`;
    this.accessTokens.set(accessToken, { sessionId: session.id, expiresAtMs });
    const expiresIn = Math.max(0, Math.floor((expiresAtMs - now) / 1000));
    if (!session.refreshable) return { accessToken, expiresIn };
    const refreshToken = `aor${this.secretMarker}${randomBase64url(96)}:${randomBase64(72)}`;
    this.refreshTokens.set(refreshToken, { sessionId: session.id, clientId: session.clientId });
    return { accessToken, refreshToken, expiresIn };
  }

  /** Rotates: the presented refresh token dies whatever the outcome of a valid lookup. */
  refresh(refreshToken: string, clientId: string, now: number, knobs: EmulatorKnobs): RefreshResult {
    const record = this.refreshTokens.get(refreshToken);
    if (!record || record.clientId !== clientId) return { ok: false };
    this.refreshTokens.delete(refreshToken);
    const session = this.sessions.get(record.sessionId);
    if (!session || session.revoked || now >= session.expiresAtMs) return { ok: false };
    return { ok: true, tokens: this.issueTokens(session, now, knobs) };
  }

  /** The live sign-in behind an access token, or undefined (unknown, expired, logged out, session over). */
  resolveAccessToken(accessToken: string, now: number): SignInSession | undefined {
    const record = this.accessTokens.get(accessToken);
    if (!record || now >= record.expiresAtMs) return undefined;
    const session = this.sessions.get(record.sessionId);
    if (!session || session.revoked || now >= session.expiresAtMs) return undefined;
    return session;
  }

  /** Revokes every sign-in of a user; returns how many were live. */
  revokeUser(userName: string): number {
    let count = 0;
    for (const session of this.sessions.values()) {
      if (session.userName === userName && !session.revoked) {
        session.revoked = true;
        count += 1;
      }
    }
    return count;
  }

  /** Ends the sign-in: every access and refresh token of it stops working. */
  logout(session: SignInSession): void {
    session.revoked = true;
    for (const [token, record] of this.accessTokens) if (record.sessionId === session.id) this.accessTokens.delete(token);
    for (const [token, record] of this.refreshTokens) if (record.sessionId === session.id) this.refreshTokens.delete(token);
  }

  /** Drops long-dead entries now and then so a long benchmark does not grow memory without bound. */
  private maybeSweep(now: number): void {
    this.mutations += 1;
    if (this.mutations % 1000 !== 0) return;
    for (const [code, d] of this.devices) {
      if (now >= d.expiresAtMs + GRACE_MS) {
        this.devices.delete(code);
        this.userCodes.delete(d.userCode);
      }
    }
    for (const [token, t] of this.accessTokens) if (now >= t.expiresAtMs) this.accessTokens.delete(token);
    for (const [id, s] of this.sessions) {
      if (s.revoked || now >= s.expiresAtMs + GRACE_MS) this.sessions.delete(id);
    }
    for (const [token, r] of this.refreshTokens) if (!this.sessions.has(r.sessionId)) this.refreshTokens.delete(token);
    for (const [id, c] of this.clients) if (now >= c.expiresAtMs + GRACE_MS) this.clients.delete(id);
  }
}
