import { z } from 'zod';

import { CREDENTIAL_FORMATS, PROFILE_NAME_PATTERN, PROFILE_NAME_RULE, REGION_PATTERN } from './credential-text';

/**
 * The credential formats with their request schemas. The formatters themselves are in
 * `credential-text.ts` (no zod, so the browser can use them without the schema library); they are
 * re-exported here so server code has one import.
 */
export * from './credential-text';

export const credentialFormatSchema = z.enum(CREDENTIAL_FORMATS);

export const profileNameSchema = z.string().regex(PROFILE_NAME_PATTERN, PROFILE_NAME_RULE);

/** AWS regions as people type them (us-east-1, eu-west-2, us-gov-west-1, cn-north-1 …). */
export const regionSchema = z.string().regex(REGION_PATTERN, 'an AWS region such as eu-west-1');
