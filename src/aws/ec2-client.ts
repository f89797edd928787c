/**
 * The EC2 client, built with the same options as the RDS, KMS and STS clients (src/aws/clients.ts) but apart
 * from them: only the restore command reads EC2 (the recovery region's security groups), and the Lambda
 * functions, which never do, do not carry it.
 */
import { EC2Client, paginateDescribeSecurityGroups } from '@aws-sdk/client-ec2';
import { type AwsClientOptions, actAsAccount, clientConfig } from './clients.js';
import type { SecurityGroupLister } from './rds-recovery-store.js';

export function buildEc2Client(options: AwsClientOptions): EC2Client {
  const { common, strategy } = clientConfig(options);
  return actAsAccount(new EC2Client({ ...common, ...strategy() }), options.accountId);
}

/** The region's VPC security group ids with `client`, every page of DescribeSecurityGroups. */
export function securityGroupLister(client: EC2Client): SecurityGroupLister {
  return async () => {
    const ids: string[] = [];
    for await (const page of paginateDescribeSecurityGroups({ client, pageSize: 1000 }, {})) {
      for (const group of page.SecurityGroups ?? []) if (group.GroupId) ids.push(group.GroupId);
    }
    return ids;
  };
}
