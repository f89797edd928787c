import { parseConfig, type SourceConfig } from '../../src/config/schema.js';

/** The regions, accounts and keys of the tests of a source job with several destinations. */
export const NOW = new Date('2025-03-01T00:00:00.000Z');
export const SRC = 'us-east-1';
export const W2 = 'us-west-2';
export const EU = 'eu-west-1';
export const AP = 'ap-southeast-2';
export const OTHER = '222222222222';
export const THIRD = '333333333333';
export const KEY_SRC = 'arn:aws:kms:us-east-1:111111111111:key/11111111-1111-1111-1111-111111111111';
export const KEY_W2 = 'arn:aws:kms:us-west-2:111111111111:key/22222222-2222-2222-2222-222222222222';
export const KEY_EU = 'arn:aws:kms:eu-west-1:111111111111:key/33333333-3333-3333-3333-333333333333';

/** A source job in SRC over the clusters named `prod`, with `fields` on top. */
export function sourceConfig(fields: Record<string, unknown> = {}): SourceConfig {
  return parseConfig({ Source: { Region: SRC, ClusterNamePattern: 'prod', ...fields } })
    .Source as SourceConfig;
}
