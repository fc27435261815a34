import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { regionOptions } from '@/components/credentials/regions';
import { AWS_REGIONS_BY_PARTITION } from '@/lib/shared/aws-regions';

import { regionsModule, sdkPartitions } from '../../scripts/generate-regions';

/**
 * The portal's regions are the AWS SDK's: lib/shared/aws-regions.ts is what the generator makes of the
 * installed SDK's partition data, so an SDK that knows a new region fails here until it is regenerated.
 */
describe('the AWS regions the portal offers', () => {
  it('are exactly the regions of the installed AWS SDK, per partition', async () => {
    expect(readFileSync('lib/shared/aws-regions.ts', 'utf8')).toBe(regionsModule(await sdkPartitions(process.cwd())));
  });

  it('include the regions a list written by hand missed', () => {
    const commercial = AWS_REGIONS_BY_PARTITION.aws!.map((region) => region.code);
    for (const code of ['ap-southeast-5', 'ap-southeast-7', 'mx-central-1', 'ca-west-1', 'ap-east-2', 'il-central-1']) expect(commercial).toContain(code);
    expect(AWS_REGIONS_BY_PARTITION['aws-eusc']!.map((region) => region.code)).toEqual(['eusc-de-east-1']);
  });

  it("offer the default region's partition, the default first", () => {
    expect(regionOptions('eu-west-1')[0]).toEqual({ code: 'eu-west-1', name: 'Europe (Ireland)' });
    expect(regionOptions('us-gov-west-1').map((region) => region.code)).toEqual(['us-gov-west-1', 'us-gov-east-1']);
    expect(regionOptions('cn-north-1').every((region) => region.code.startsWith('cn-'))).toBe(true);
    expect(regionOptions('us-east-1')).toHaveLength(AWS_REGIONS_BY_PARTITION.aws!.length);
  });
});
