import { AWS_REGIONS_BY_PARTITION, type AwsRegion } from '@/lib/shared/aws-regions';
import { partitionOf } from '@/lib/shared/partitions';

/** AWS regions offered in the portal's region pickers: every region the AWS SDK knows in the default region's partition. */

export type RegionOption = AwsRegion;

/**
 * The regions of the partition `defaultRegion` belongs to (commercial, GovCloud, China, European
 * Sovereign Cloud), the default first; a default the SDK does not know yet is offered as it is.
 */
export function regionOptions(defaultRegion: string | undefined): readonly RegionOption[] {
  const partition = partitionOf(defaultRegion ?? 'us-east-1').id;
  const regions = AWS_REGIONS_BY_PARTITION[partition] ?? AWS_REGIONS_BY_PARTITION.aws ?? [];
  if (!defaultRegion) return regions;
  const own = regions.find((region) => region.code === defaultRegion) ?? { code: defaultRegion, name: 'Default' };
  return [own, ...regions.filter((region) => region.code !== defaultRegion)];
}
