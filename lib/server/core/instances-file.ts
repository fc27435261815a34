import 'server-only';

import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

import { LABEL_COLORS } from '@/lib/shared/account-labels';
import { isPrintableName } from '@/lib/shared/aws-names';
import { INSTANCE_KEY_PATTERN } from '@/lib/shared/instances';

import { EnvError } from './config-error';
import { regionValue, urlValue } from './env-values';

/**
 * The file GATEHOUSE_CONFIG names: several Identity Center instances, in JSON or YAML, validated
 * with zod; every problem names the file and the field.
 */

const endpointValue = urlValue(['http:', 'https:'], 'an http(s) URL such as https://portal.sso.eu-west-1.amazonaws.com');

/** A label the organisation puts on some of its accounts (`production`, in red), and what it applies to. */
const accountLabelSchema = z
  .object({
    label: z
      .string({ error: 'expected a short label such as production' })
      .trim()
      .min(1, 'expected a short label such as production')
      .max(32, 'expected at most 32 characters')
      .refine((value) => isPrintableName(value, 32), 'expected printable characters only'),
    color: z.enum(LABEL_COLORS, { error: `expected one of ${LABEL_COLORS.join(', ')}` }).default('slate'),
    accounts: z.array(z.string().regex(/^\d{12}$/, 'expected a 12-digit account id')).default([]),
    names: z
      .array(z.string().min(1).max(128).regex(/^[\w*.@+=,-]+$/, 'expected an account name pattern such as *-prod (letters, digits, - _ . and * for any run)'))
      .default([]),
    ous: z.array(z.string().regex(/^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/, 'expected an organizational unit id such as ou-ab12-cd345678')).default([]),
    region: regionValue.optional(),
  })
  .strict()
  .refine((rule) => rule.accounts.length + rule.names.length + rule.ous.length > 0, 'expected at least one of accounts, names or ous');

/** One Identity Center instance in the file named by GATEHOUSE_CONFIG. */
const instanceFileSchema = z
  .object({
    key: z
      .string()
      .regex(INSTANCE_KEY_PATTERN, 'expected a short name of lower-case letters, digits and hyphens, such as sandbox')
      .optional(),
    name: z
      .string({ error: 'expected a name people recognise, such as Production' })
      .trim()
      .min(1, 'expected a name people recognise, such as Production').max(60, 'expected at most 60 characters'),
    startUrl: urlValue(['https:'], 'the https start URL of the Identity Center, such as https://d-1234567890.awsapps.com/start'),
    ssoRegion: regionValue,
    consoleRegion: regionValue.optional(),
    accountNicknames: z
      .record(
        z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
        z.string().trim().min(1, 'expected a nickname').max(64, 'expected at most 64 characters'),
      )
      .optional(),
    endpointUrl: endpointValue.optional(),
    endpoints: z.object({ sso: endpointValue.optional(), ssoOidc: endpointValue.optional(), sts: endpointValue.optional() }).strict().optional(),
    signinUrl: urlValue(['https:', 'http:'], 'the console federation endpoint URL, such as https://signin.aws.amazon.com/federation').optional(),
    accountLabels: z.array(accountLabelSchema).max(50, 'expected at most 50 labels').optional(),
  })
  .strict();

/** How the portal presents itself to the organisation: its name, a logo, where to get help. */
const brandingSchema = z
  .object({
    organization: z
      .string()
      .trim()
      .min(1, 'expected the organisation\'s name')
      .max(60, 'expected at most 60 characters')
      .refine((value) => isPrintableName(value, 60), 'expected printable characters only')
      .optional(),
    logo: z
      .string()
      .regex(/\.(png|svg|jpe?g|webp)$/i, 'expected the path of a PNG, SVG, JPEG or WebP file')
      .optional(),
    helpUrl: urlValue(['https:'], 'an https URL where people get help, such as https://wiki.example.com/aws-access').optional(),
  })
  .strict();

export const configFileSchema = z
  .object({
    branding: brandingSchema.optional(),
    instances: z
      .array(instanceFileSchema, { error: 'expected a list of instances, each with a name, startUrl and ssoRegion' })
      .min(1, 'expected at least one instance')
      .max(20, 'expected at most 20 instances'),
  })
  .strict();

export type ConfigFile = z.infer<typeof configFileSchema>;

/** The URL-safe key of an instance: given, or made from its name. */
export function keyOf(entry: ConfigFile['instances'][number], index: number): string {
  if (entry.key) return entry.key;
  const slug = entry.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  return slug || `instance-${index + 1}`;
}

/** Reads and validates the instances file; every problem names the file and the field. */
export function readConfigFile(file: string, readFile: (file: string) => string): ConfigFile {
  const fail = (expected: string) => new EnvError([{ variable: 'GATEHOUSE_CONFIG', expected: `${file}: ${expected}` }]);
  let text = '';
  try {
    text = readFile(path.resolve(file));
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
    throw fail(`could not read the file (${code}); expected the path of a JSON or YAML file listing the instances`);
  }
  let document: unknown;
  try {
    // YAML is a superset of JSON: one parser reads both.
    document = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    const line = typeof error === 'object' && error !== null && 'linePos' in error && Array.isArray(error.linePos) ? error.linePos[0] : undefined;
    const at = line && typeof line === 'object' && 'line' in line ? ` (line ${String(line.line)})` : '';
    throw fail(`is not valid JSON or YAML${at}`);
  }
  const parsed = configFileSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    // A bad record key (an account id) carries its own reason one level down.
    const message = issue?.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue?.message;
    throw fail(`${where}${message ?? 'expected { instances: [...] }'}`);
  }
  return parsed.data;
}

