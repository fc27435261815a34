/**
 * The portal's answers to the terminal routes (/api/cli/*), as the contract gives them; every answer is
 * parsed, with the portal's own rules for what names, ids, regions and keys may look like (lib/shared),
 * so that the command trusts nothing a portal sends, even one that lies. zod's tree-shakable build
 * (zod/mini) keeps the bundle, and so each start of the command, small.
 */
import * as z from 'zod/mini';

import {
  ACCESS_KEY_ID_PATTERN,
  ACCOUNT_ID_PATTERN,
  isPrintableName,
  ROLE_NAME_PATTERN,
  SECRET_ACCESS_KEY_PATTERN,
  SESSION_TOKEN_PATTERN,
  USER_NAME_PATTERN,
} from '../lib/shared/aws-names';
import { INSTANCE_KEY_PATTERN } from '../lib/shared/instances';
import { REGION_PATTERN } from '../lib/shared/partitions';

const isoDate = z.string().check(z.maxLength(64), z.refine((text) => !Number.isNaN(Date.parse(text)), 'expected an ISO 8601 date'));
const printable = (max: number) => z.string().check(z.refine((text) => isPrintableName(text, max), 'expected a printable name'));
const instance = z.object({ key: z.string().check(z.regex(INSTANCE_KEY_PATTERN)), name: printable(200) });
const userName = z.string().check(z.regex(USER_NAME_PATTERN));
const region = z.string().check(z.regex(REGION_PATTERN));
/** The login and terminal tokens: opaque, but only ever sent back as a bearer token, so nothing that could break a header. */
const token = z.string().check(z.regex(/^[A-Za-z0-9._~+/=-]{20,512}$/));

export const apiErrorSchema = z.object({ error: z.object({ code: z.string().check(z.maxLength(64)), message: z.string() }) });

/** Three lower-case words for the person to compare with the portal's confirmation page. */
export const CONFIRM_WORDS_PATTERN = /^[a-z]{3,10}( [a-z]{3,10}){2}$/;

export const loginStartSchema = z.object({
  loginToken: token,
  confirmUrl: z.url({ protocol: /^https?$/ }),
  words: z.string().check(z.regex(CONFIRM_WORDS_PATTERN)),
  expiresAt: isoDate,
  intervalSeconds: z.number().check(z.positive(), z.maximum(600)),
  instance,
});
export type LoginStart = z.infer<typeof loginStartSchema>;

export const sessionInfoSchema = z.object({
  user: z.optional(userName),
  instance,
  expiresAt: isoDate,
});

export const loginPollSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('pending'),
    retryAfterMs: z.optional(z.number().check(z.nonnegative(), z.maximum(600_000))),
    expiresAt: z.optional(isoDate),
    confirmed: z.optional(z.boolean()),
  }),
  z.object({ status: z.literal('approved'), token, session: sessionInfoSchema }),
  z.object({ status: z.literal('denied') }),
  z.object({ status: z.literal('expired') }),
  z.object({ status: z.literal('refused'), message: z.optional(z.string().check(z.maxLength(4096))) }),
]);
export type LoginPoll = z.infer<typeof loginPollSchema>;

export const SESSION_ENDINGS = ['idle', 'absolute', 'identity_center'] as const;

export const sessionSchema = z.object({
  user: z.optional(userName),
  instance: z.extend(instance, { startUrl: z.optional(z.string()), region: z.optional(region) }),
  expiresAt: isoDate,
  // A reason this command does not know yet is not shown rather than refused.
  endsBecause: z.optional(z.string()),
});
export type SessionAnswer = z.infer<typeof sessionSchema>;

export const credentialsSchema = z.object({
  accessKeyId: z.string().check(z.regex(ACCESS_KEY_ID_PATTERN)),
  secretAccessKey: z.string().check(z.regex(SECRET_ACCESS_KEY_PATTERN)),
  sessionToken: z.string().check(z.regex(SESSION_TOKEN_PATTERN)),
  // Whole seconds, UTC, as the portal hands them out: the only form the formats are written from.
  expiration: z.string().check(z.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?Z$/), z.refine((text) => !Number.isNaN(Date.parse(text)))),
  region: z.optional(region),
});
export type Credentials = z.infer<typeof credentialsSchema>;

export const consoleSchema = z.object({ url: z.url({ protocol: /^https?$/ }) });

export const favoritesSchema = z.object({
  accounts: z.array(z.string()),
  roles: z.array(z.string()),
  recent: z.optional(z.array(z.string())),
});
export type Favorites = z.infer<typeof favoritesSchema>;

export const logoutSchema = z.object({ signedOut: z.literal(true) });

export const isAccountId = (value: string): boolean => ACCOUNT_ID_PATTERN.test(value);
export const isRoleName = (value: string): boolean => ROLE_NAME_PATTERN.test(value);
export const isRegion = (value: string): boolean => REGION_PATTERN.test(value);
export const isInstanceKey = (value: string): boolean => INSTANCE_KEY_PATTERN.test(value);
