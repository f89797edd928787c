/** The AWS regions the tool accepts by name (commercial, GovCloud and China partitions). */

export const AWS_REGIONS = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-west-1',
  'us-west-2',
] as const;

export type AwsRegion = (typeof AWS_REGIONS)[number];

export function isAwsRegion(value: string): value is AwsRegion {
  return (AWS_REGIONS as readonly string[]).includes(value);
}

/** The ARN partition of a region (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * Regions Aurora copies no DB cluster snapshot to or from, with their names (Aurora User Guide, "DB cluster
 * snapshot copying", Limitations): the two China regions, between each other too. Sharing in place works.
 */
const NO_CROSS_REGION_COPY: Readonly<Record<string, string>> = {
  'cn-north-1': 'China (Beijing)',
  'cn-northwest-1': 'China (Ningxia)',
};

/**
 * Why Aurora cannot copy a cluster snapshot from `from` to `to` within one partition (a China region at
 * either end), or undefined when it can (the same region is no copy across regions).
 */
export function crossRegionCopyBarrier(from: string, to: string): string | undefined {
  if (from === to) return undefined;
  const barred = [from, to].filter((r) => NO_CROSS_REGION_COPY[r] !== undefined);
  if (barred.length === 0) return undefined;
  const named = barred.map((r) => `${NO_CROSS_REGION_COPY[r]} ${r}`).join(' and ');
  return `Aurora copies no DB cluster snapshot to or from ${named} across regions`;
}
