/**
 * Writes a synthetic directory file for the emulator.
 *   tsx emulator/generate-cli.ts --accounts 5000 --roles 3 --seed 1 --out big.json
 *   tsx emulator/generate-cli.ts --roles 1-4 --users operator,auditor ...
 *   tsx emulator/generate-cli.ts --demo --out emulator/directories/demo.json   (regenerates the demo)
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { buildDemoDirectory, generateOrganisation, parseDirectory, ROLE_CATALOGUE } from './directory';
import { describeIssues } from './knobs';

const USAGE = 'usage: generate-cli.ts [--demo] [--accounts N] [--roles N|MIN-MAX] [--users a,b] [--seed N] [--instance-name NAME] [--start-url URL] [--out FILE]';

const integer = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const argsSchema = z.object({
  demo: z.boolean().optional(),
  accounts: integer(0, 100_000).optional(),
  roles: z
    .string()
    .regex(/^\d+(-\d+)?$/, 'must be N or MIN-MAX')
    .transform((v) => {
      const [min, max] = v.split('-').map(Number);
      return { min: min ?? 1, max: max ?? min ?? 1 };
    })
    .refine((r) => r.min >= 1 && r.max >= r.min && r.max <= ROLE_CATALOGUE.length, `must be within 1-${ROLE_CATALOGUE.length}`)
    .optional(),
  users: z.string().regex(/^[\w+=.@-]+(,[\w+=.@-]+)*$/, 'must be a comma-separated list of user names').optional(),
  seed: integer(0, 2 ** 32 - 1).optional(),
  'instance-name': z.string().min(1).optional(),
  'start-url': z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  help: z.boolean().optional(),
});

function main(): number {
  let raw: unknown;
  try {
    raw = parseArgs({
      options: {
        demo: { type: 'boolean' },
        accounts: { type: 'string' },
        roles: { type: 'string' },
        users: { type: 'string' },
        seed: { type: 'string' },
        'instance-name': { type: 'string' },
        'start-url': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const parsed = argsSchema.safeParse(raw);
  if (!parsed.success) {
    console.error(`${describeIssues(parsed.error, '--')}\n${USAGE}`);
    return 2;
  }
  const args = parsed.data;
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  let directory;
  try {
    directory = args.demo
      ? buildDemoDirectory()
      : parseDirectory(
          generateOrganisation({
            accounts: args.accounts ?? 1000,
            rolesPerAccount: args.roles ?? 3,
            users: args.users?.split(','),
            seed: args.seed ?? 1,
            instanceName: args['instance-name'],
            startUrl: args['start-url'],
          }),
          'generated directory',
        );
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const json = `${JSON.stringify(directory, null, 2)}\n`;
  if (args.out) {
    writeFileSync(args.out, json);
    console.log(`wrote ${args.out}: ${directory.accounts.length} accounts, ${directory.users.length} users, ${directory.assignments.length} assignments`);
  } else {
    process.stdout.write(json);
  }
  return 0;
}

process.exitCode = main();
