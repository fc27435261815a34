import { z } from 'zod';

import { accountIdSchema, roleNameSchema } from './accounts';
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

export interface ConsoleResponse {
  url: string;
}
