import { z } from 'zod';

import { accountIdSchema, roleNameSchema } from './accounts';
import { CONSOLE_SESSION_HOURS } from './console-session';
import { profileNameSchema, regionSchema } from './credential-formats';

/** Bodies of the credential and console routes, shared by the routes and the page that calls them. */

export const credentialsRequestSchema = z.strictObject({
  accountId: accountIdSchema,
  roleName: roleNameSchema,
  /** Only with ?format=: adds the region lines. */
  region: regionSchema.optional(),
  /** Only with ?format=ini: the profile's name. */
  profileName: profileNameSchema.optional(),
});

export type CredentialsRequest = z.infer<typeof credentialsRequestSchema>;

/** A console session length people may choose: 1, 4, 8 or 12 hours. */
export const consoleSessionHoursSchema = z.literal(CONSOLE_SESSION_HOURS, { error: 'sessionHours must be 1, 4, 8 or 12' });

export interface ConsoleResponse {
  url: string;
  /** The console session's length in hours, when one was chosen (now or before); otherwise it lasts as long as the role credentials. */
  sessionHours?: number;
}
