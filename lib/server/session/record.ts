import 'server-only';

import { z } from 'zod';

/** What the store keeps for one browser session, sealed. Tokens never leave the server. */

export const deviceFlowSchema = z.object({
  deviceCode: z.string(),
  userCode: z.string(),
  verificationUri: z.string(),
  verificationUriComplete: z.string(),
  /** Epoch milliseconds. */
  expiresAt: z.number(),
  intervalSeconds: z.number().int().positive(),
  nextPollAt: z.number(),
  outcome: z.enum(['denied', 'expired']).optional(),
  /** Where the sign-in is counted among pending ones (see pending-sign-ins.ts). */
  slot: z.object({ bucket: z.number(), group: z.string() }).optional(),
});

export const ssoTokenSchema = z.object({
  accessToken: z.string(),
  accessTokenExpiresAt: z.number(),
  /** When Identity Center issued the access token (epoch ms): tells a refresh that extended nothing. */
  accessTokenIssuedAt: z.number().optional(),
  refreshToken: z.string().optional(),
  /**
   * When the Identity Center session itself ends, once a refresh has shown it: a refreshed token that
   * expires no later than the one before means refresh can no longer extend the session.
   */
  sessionEndsAt: z.number().optional(),
});

/** Who holds the session: a browser (a cookie) or the `gatehouse` command (a bearer token). */
export const SESSION_KINDS = ['browser', 'terminal'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export const sessionRecordSchema = z.object({
  version: z.literal(1),
  /** Absent in records written before terminals had sessions: those are browsers'. */
  kind: z.enum(SESSION_KINDS).default('browser'),
  /** For a terminal: what it said it is and where it signed in from, for the person's Activity page. */
  client: z.object({ label: z.string().max(200), address: z.string().max(64) }).optional(),
  instanceId: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  absoluteExpiresAt: z.number(),
  flow: deviceFlowSchema.optional(),
  sso: ssoTokenSchema.optional(),
  user: z.object({ userName: z.string() }).optional(),
  /** The person an authenticating proxy in front named when this session began (TRUSTED_IDENTITY_HEADER). */
  proxyUser: z.string().optional(),
});

export type DeviceFlowState = z.infer<typeof deviceFlowSchema>;
export type SsoToken = z.infer<typeof ssoTokenSchema>;
export type SessionRecord = z.infer<typeof sessionRecordSchema>;

export type SignedInRecord = SessionRecord & { sso: SsoToken };

export function isSignedIn(record: SessionRecord): record is SignedInRecord {
  return record.sso !== undefined;
}
