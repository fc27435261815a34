import 'server-only';

import type { z } from 'zod';

/**
 * Which field of a request is wrong, in a few words for the caller: `accountId: an AWS account id is
 * 12 digits`, `unknown field "color"`. Never the value that was sent (it is the caller's, and could
 * be anything): only the field's name, cut short and kept printable.
 */
export function whatIsWrong(error: z.ZodError): string | undefined {
  const issue = error.issues[0];
  if (!issue) return undefined;
  const name = (part: PropertyKey) => String(part).replace(/[^\w.-]/g, '?').slice(0, 40);
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.slice(0, 3).map((key) => `"${name(key)}"`).join(', ')}`;
  const where = issue.path.length > 0 ? issue.path.map(name).join('.') : undefined;
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'missing' : issue.message;
  return where ? `${where}: ${message}` : message;
}
