import 'server-only';

import { z } from 'zod';

import { REGION_PATTERN } from '@/lib/shared/partitions';

/**
 * One zod parser per kind of configuration value, for environment variables (strings that may be
 * unset or empty) and for the fields of the instances file (already typed by YAML). Each message
 * says what is expected, to be shown after the variable's or field's name.
 */

// An unset variable and an empty one mean the same: "use the default".
export const optionalString = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  z.string().trim().optional(),
);

const REGION_EXPECTED = 'expected an AWS region such as us-east-1 or eu-west-2';

/** An AWS region (a file field). */
export const regionValue = z.string({ error: REGION_EXPECTED }).regex(REGION_PATTERN, REGION_EXPECTED);

/** A URL with one of `protocols` (a file field); `what` is how the message describes it. */
export function urlValue(protocols: readonly string[], what: string) {
  return z
    .string({ error: `expected ${what}` })
    .trim()
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `expected ${what}`);
}

/** An optional variable holding a URL with one of `protocols`. */
export function urlVariable(protocols: readonly string[], what: string) {
  return optionalString.pipe(urlValue(protocols, what).optional());
}

/** An optional variable holding an AWS region. */
export const regionVariable = optionalString.pipe(regionValue.optional());

/**
 * An optional variable holding a number from `min` to `max`: whole unless `decimal`, described in
 * messages by `unit` ("minutes", "hours", …) or as "a whole number"; `fallback` when unset.
 */
export function numberVariable(options: { min: number; max: number; unit?: string; decimal?: boolean; expected?: string }) {
  const kind = options.decimal ? 'a number' : 'a whole number';
  const expected = options.expected ?? `expected ${kind}${options.unit ? ` of ${options.unit}` : ''} from ${options.min} to ${options.max}`;
  return optionalString.pipe(
    z
      .string()
      .regex(options.decimal ? /^\d+(\.\d+)?$/ : /^\d+$/, expected)
      .transform(Number)
      .refine((value) => value >= options.min && value <= options.max, expected)
      .optional(),
  );
}

/** An optional variable holding an IP address to listen on. */
export function addressVariable(what: string) {
  return optionalString.pipe(z.string().regex(/^[0-9a-fA-F:.]+$|^localhost$/, `expected an IP address ${what}, such as 127.0.0.1 or 0.0.0.0`).optional());
}
