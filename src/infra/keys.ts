/** How a configured KMS key (ARN, key id or alias, as the schema accepts) is named in an IAM policy. */
import { Aws, Token } from 'aws-cdk-lib';
import type { KeyReference } from './policies.js';

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const ALIAS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:(alias\/[A-Za-z0-9/_-]+)$/;

/**
 * @param key the configured key (a token is taken as a key ARN: the templates' parameters require one)
 * @param region the region the key must be in (of the snapshots it encrypts)
 */
export function keyReference(key: string, region: string): KeyReference {
  if (Token.isUnresolved(key) || KEY_ARN.test(key)) return { arn: key };
  const aliasArn = ALIAS_ARN.exec(key);
  if (aliasArn) return { alias: aliasArn[2] as string, region: aliasArn[1] as string };
  if (key.startsWith('alias/')) return { alias: key, region };
  return { arn: `arn:${Aws.PARTITION}:kms:${region}:${Aws.ACCOUNT_ID}:key/${key}` };
}
