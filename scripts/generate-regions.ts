/**
 * Writes lib/shared/aws-regions.ts from the AWS SDK's own partition data (the `partitions.json` that
 * @aws-sdk/core resolves endpoints with): every region it knows, per partition, with its name. The
 * portal's region pickers and checks use that file; `tests/unit/aws-regions.test.ts` fails when the
 * installed SDK knows other regions than the file, so an SDK update brings its new regions here.
 *
 *   npx tsx scripts/generate-regions.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { z } from 'zod';

const partitionsSchema = z.object({
  partitions: z.array(
    z.object({
      id: z.string().regex(/^aws(-[a-z-]+)?$/),
      regions: z.record(z.string().regex(/^[a-z0-9-]+$/), z.object({ description: z.string().optional() }).optional()),
    }),
  ),
});

/** The SDK's partition data, as the installed @aws-sdk/core ships it. */
export async function sdkPartitions(root: string): Promise<Record<string, { code: string; name: string }[]>> {
  const file = path.join(root, 'node_modules', '@aws-sdk', 'core', 'dist-es', 'submodules', 'client', 'util-endpoints', 'lib', 'aws', 'partitions.js');
  const loaded = (await import(pathToFileURL(file).href)) as { partitionsInfo: unknown };
  const { partitions } = partitionsSchema.parse(loaded.partitionsInfo);
  const out: Record<string, { code: string; name: string }[]> = {};
  for (const partition of partitions) {
    out[partition.id] = Object.entries(partition.regions)
      // `aws-global`, `aws-cn-global` and the like are endpoint aliases, not regions people choose.
      .filter(([code]) => !code.endsWith('-global'))
      .map(([code, info]) => ({ code, name: info?.description ?? code }))
      .sort((a, b) => a.code.localeCompare(b.code));
  }
  return out;
}

export function regionsModule(partitions: Record<string, { code: string; name: string }[]>): string {
  return `/**
 * Every AWS region the AWS SDK knows, per partition, with its name: generated from the SDK's own
 * partition data by scripts/generate-regions.ts (do not edit; run it after updating the SDK, and
 * tests/unit/aws-regions.test.ts says when). No zod here: the browser and the command use it.
 */

export interface AwsRegion {
  code: string;
  name: string;
}

export const AWS_REGIONS_BY_PARTITION: Readonly<Record<string, readonly AwsRegion[]>> = {
${Object.entries(partitions)
  .map(([id, regions]) => `  '${id}': [\n${regions.map((region) => `    { code: '${region.code}', name: ${JSON.stringify(region.name).replace(/'/g, "\\'").replace(/^"|"$/g, "'")} },`).join('\n')}\n  ],`)
  .join('\n')}
};
`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.cwd();
  writeFileSync(path.join(root, 'lib', 'shared', 'aws-regions.ts'), regionsModule(await sdkPartitions(root)));
}
