import 'server-only';

import pino from 'pino';

import { getConfig } from '@/lib/server/core/config';

/**
 * Structured JSON logs on stdout. Secrets are never passed to the logger; the redact list is a
 * second line of defence for fields that must never appear even by mistake.
 */
const SECRET_FIELDS = [
  'accessToken',
  'refreshToken',
  'clientSecret',
  'deviceCode',
  'secretAccessKey',
  'sessionToken',
  'cookie',
  'authorization',
];

const LOGGER = Symbol.for('gatehouse.logger');
type GlobalWithLogger = typeof globalThis & { [LOGGER]?: pino.Logger };

export function logger(): pino.Logger {
  const holder = globalThis as GlobalWithLogger;
  holder[LOGGER] ??= pino({
    level: getConfig().logLevel,
    base: { service: 'gatehouse' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...SECRET_FIELDS, ...SECRET_FIELDS.map((field) => `*.${field}`)], censor: '[redacted]' },
  });
  return holder[LOGGER];
}
