/**
 * Shared shapes of the Identity Center emulator. Every module of the emulator
 * (OIDC, portal, STS, federation, pages) works on one EmulatorContext.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Milliseconds since the epoch. Tests inject a controllable clock. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface DirectoryUser {
  userName: string;
  displayName: string;
  email: string;
}

export interface DirectoryAccount {
  accountId: string;
  accountName: string;
  emailAddress: string;
}

export interface DirectoryAssignment {
  userName: string;
  accountId: string;
  roleName: string;
}

export interface Directory {
  /** Shown on the device page and in ARNs. */
  instanceName: string;
  /** The AWS access portal URL clients must pass to StartDeviceAuthorization (e.g. `https://d-1234567890.awsapps.com/start`). */
  startUrl: string;
  users: DirectoryUser[];
  accounts: DirectoryAccount[];
  /** Permission-set names with their session duration in seconds (900..43200). */
  roles: { roleName: string; sessionDurationSeconds: number }[];
  assignments: DirectoryAssignment[];
}

/** Knobs; every one can also be changed at run time through the admin API. */
export interface EmulatorKnobs {
  /** Added to every AWS API call (not to the HTML pages or the admin API). */
  latencyMs: number;
  /** Portal API requests per second across all callers; 0 turns the limit off. */
  rateLimit: number;
  /** Token-bucket capacity for rateLimit. */
  rateBurst: number;
  /** Probability (0..1) that an AWS API call fails: half 500 InternalServerException, half a dropped connection. */
  faultRate: number;
  accessTokenTtlSeconds: number;
  /** How long a sign-in (and with it every refresh token) lives. */
  ssoSessionTtlSeconds: number;
  deviceCodeTtlSeconds: number;
  pollIntervalSeconds: number;
  clientRegistrationTtlSeconds: number;
  signinTokenTtlSeconds: number;
  /** Lifetime of the role credentials GetRoleCredentials hands out; 0: the permission set's session duration (the directory's). */
  roleCredentialTtlSeconds: number;
}

export interface RoleCredentialSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  roleName: string;
  userName: string;
  /** `AWSReservedSSO_<role>_<this>`: 16 lowercase hex characters, stable per account and role. */
  roleSuffix: string;
  /** `AROA…` role id, stable per account and role. */
  roleId: string;
  expiresAtMs: number;
}

export interface SigninTokenRecord {
  accessKeyId: string;
  expiresAtMs: number;
  /** Requested console session length, when the caller gave one. */
  sessionDurationSeconds?: number;
}

export interface EmulatorContext {
  clock: Clock;
  knobs: EmulatorKnobs;
  directory: Directory;
  region: string;
  /** Base URL people and clients use to reach the emulator, without trailing slash. */
  publicUrl: string;
  roleCredentials: Map<string, RoleCredentialSession>;
  signinTokens: Map<string, SigninTokenRecord>;
  /** Resolves a random source; seeded so fault injection is reproducible. */
  random(): number;
}

export interface EmulatorRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
  /** Raw body (at most 1 MiB is read; larger requests are refused before a handler runs). */
  body: Buffer;
  requestId: string;
  ctx: EmulatorContext;
}

export type Handler = (request: EmulatorRequest) => Promise<void> | void;
