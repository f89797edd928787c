/**
 * The encrypted SNS topic an alarm notifies: its own KMS key, which the account administers (each action
 * written out, no `kms:*`) and CloudWatch may use to encrypt the notifications.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccountRootPrincipal, PolicyDocument, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** The topic `AlarmTopic` and its key `AlarmTopicKey` in `scope`. */
export function encryptedAlarmTopic(
  scope: Construct,
  names: { readonly keyDescription: string; readonly displayName: string },
): Topic {
  const key = new Key(scope, 'AlarmTopicKey', {
    description: names.keyDescription,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
    // Written out rather than the default `kms:*` for the account, so no policy has a wildcard action.
    policy: new PolicyDocument({
      statements: [
        new PolicyStatement({
          sid: 'AccountAdministersTheKey',
          principals: [new AccountRootPrincipal()],
          actions: [
            'kms:DescribeKey',
            'kms:GetKeyPolicy',
            'kms:PutKeyPolicy',
            'kms:GetKeyRotationStatus',
            'kms:EnableKeyRotation',
            'kms:DisableKeyRotation',
            'kms:ListResourceTags',
            'kms:TagResource',
            'kms:UntagResource',
            'kms:UpdateKeyDescription',
            'kms:EnableKey',
            'kms:DisableKey',
            'kms:ScheduleKeyDeletion',
            'kms:CancelKeyDeletion',
            'kms:ListGrants',
            'kms:RevokeGrant',
          ],
          resources: ['*'],
        }),
        new PolicyStatement({
          sid: 'CloudWatchPublishesAlarms',
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          // No source condition: the topic policy already admits only the alarms meant, and a condition
          // CloudWatch's request lacked would silently stop the notifications.
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
        }),
      ],
    }),
  });
  return new Topic(scope, 'AlarmTopic', { displayName: names.displayName, masterKey: key, enforceSSL: true });
}
