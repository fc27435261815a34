/**
 * The portal's answers to the terminal routes (/api/cli/*), as the contract gives them; every answer is
 * parsed. zod's tree-shakable build (zod/mini) keeps the bundle, and so each start of the command, small.
 */
import * as z from 'zod/mini';

const isoDate = z.string().check(z.refine((text) => !Number.isNaN(Date.parse(text)), 'expected an ISO 8601 date'));
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const instance = z.object({ key: text(64), name: text(200) });
const accountId = z.string().check(z.regex(/^\d{12}$/));
const roleName = text(128);
const httpUrl = z.url({ protocol: /^https?$/ });

export const apiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const loginStartSchema = z.object({
  loginToken: text(512),
  userCode: text(64),
  // Not used: the link with the code in it is what the person opens.
  verificationUri: z.optional(httpUrl),
  verificationUriComplete: httpUrl,
  expiresAt: isoDate,
  intervalSeconds: z.number().check(z.positive()),
  instance,
});
export type LoginStart = z.infer<typeof loginStartSchema>;

export const sessionInfoSchema = z.object({
  user: z.optional(z.string()),
  instance,
  expiresAt: isoDate,
});

export const loginPollSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending'), retryAfterMs: z.optional(z.number().check(z.nonnegative())), expiresAt: z.optional(isoDate) }),
  z.object({ status: z.literal('approved'), token: z.string().check(z.minLength(20), z.maxLength(512)), session: sessionInfoSchema }),
  z.object({ status: z.literal('denied') }),
  z.object({ status: z.literal('expired') }),
]);
export type LoginPoll = z.infer<typeof loginPollSchema>;

export const sessionSchema = z.object({
  user: z.optional(z.string()),
  instance: z.extend(instance, { startUrl: z.optional(z.string()), region: z.optional(z.string()) }),
  expiresAt: isoDate,
  endsBecause: z.optional(z.string()),
});
export type SessionAnswer = z.infer<typeof sessionSchema>;

export const accountsSchema = z.object({
  accounts: z.array(
    z.object({
      accountId,
      accountName: z.string(),
      emailAddress: z.string(),
      nickname: z.optional(z.string()),
      roles: z.array(roleName),
    }),
  ),
});
export type Account = z.infer<typeof accountsSchema>['accounts'][number];

export const credentialsSchema = z.object({
  accessKeyId: z.string().check(z.regex(/^[A-Z0-9]{16,128}$/)),
  secretAccessKey: text(1024),
  sessionToken: text(16_384),
  expiration: isoDate,
});
export type Credentials = z.infer<typeof credentialsSchema>;

export const consoleSchema = z.object({ url: httpUrl });

/** A profile name the command writes into ~/.aws/config between `[profile ` and `]`: nothing that could end the header or the line. */
export const profileNameSchema = z.string().check(z.regex(/^[A-Za-z0-9_.@+=,:/-]{1,128}$/));

export const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;

export const configProfilesSchema = z.object({
  sessionName: z.optional(z.string()),
  region: z.string().check(z.regex(REGION_PATTERN)),
  profiles: z.array(z.object({ name: z.string(), accountId, accountName: z.string(), roleName })),
});
export type ConfigProfiles = z.infer<typeof configProfilesSchema>;

export const logoutSchema = z.object({ signedOut: z.literal(true) });
