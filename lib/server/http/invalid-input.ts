import 'server-only';

import { z } from 'zod';

/**
 * Which field of a request is wrong, in a few words for the caller: `accountId: an AWS account id is
 * 12 digits`, `it takes only kind, accountId, roleName and starred`. Never what was sent (it is the
 * caller's, and could be anything, an unknown field's name included): only the names the schema
 * itself declares, cut short and kept printable.
 */
export function whatIsWrong(error: z.ZodError, schema?: z.ZodType): string | undefined {
  const issue = error.issues[0];
  if (!issue) return undefined;
  const name = (part: PropertyKey) => String(part).replace(/[^\w.-]/g, '?').slice(0, 40);
  if (issue.code === 'unrecognized_keys') {
    const known = issue.path.length === 0 && schema instanceof z.ZodObject ? Object.keys(schema.shape as Record<string, unknown>) : undefined;
    if (known === undefined) return `${issue.path.length > 0 ? `${issue.path.map(name).join('.')}: ` : ''}fields it does not take`;
    if (known.length === 0) return 'it takes no fields';
    const listed = known.length === 1 ? known[0] : `${known.slice(0, -1).join(', ')} and ${known.at(-1)}`;
    return `it takes only ${listed}`;
  }
  const where = issue.path.length > 0 ? issue.path.map(name).join('.') : undefined;
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'missing' : issue.message;
  return where ? `${where}: ${message}` : message;
}
