/**
 * The AWS list prices the orchestration-cost comparison multiplies its counts by: us-east-1, on-demand,
 * without free tiers (they are per account, not per cluster). Written into this file on 2026-12-07 from the
 * pricing pages named beside each; they were NOT re-read on the network from the machine that runs the
 * benchmark (it has no access to aws.amazon.com), so check them against the pages before quoting a figure.
 */

export const PRICE_REGION = 'us-east-1';
/** When the prices below were written into this file (not when they were last checked on AWS's pages). */
export const PRICES_WRITTEN_ON = '2026-12-07';

export interface ListPrice {
  /** US dollars per unit. */
  readonly usd: number;
  readonly unit: string;
  /** The price as the page states it. */
  readonly listed: string;
  readonly page: string;
  readonly note?: string;
}

export const PRICES = {
  stepFunctionsTransition: {
    usd: 0.025 / 1000,
    unit: 'state transition (Standard workflow)',
    listed: '$0.025 per 1,000 state transitions',
    page: 'https://aws.amazon.com/step-functions/pricing/',
    note: 'the page: "Step Functions counts a state transition each time a step of your workflow is executed ... including retries"; 4,000 free a month per account, not applied',
  },
  lambdaRequest: {
    usd: 0.2 / 1_000_000,
    unit: 'Lambda request',
    listed: '$0.20 per 1M requests',
    page: 'https://aws.amazon.com/lambda/pricing/',
    note: '1M free a month per account, not applied',
  },
  lambdaGbSecondArm: {
    usd: 0.0000133334,
    unit: 'Lambda GB-second (Arm, the functions\u2019 architecture)',
    listed: '$0.0000133334 per GB-second (Arm, first 7.5 billion GB-seconds a month)',
    page: 'https://aws.amazon.com/lambda/pricing/',
    note: 'duration billed per 1 ms; the INIT phase of on-demand functions is billed since 1 August 2025; 400,000 GB-s free a month per account, not applied',
  },
  eventBridgeAwsServiceEvent: {
    usd: 0,
    unit: 'AWS service event on the default bus (RDS-EVENT-0075 delivered to the rule)',
    listed: 'free: state change events published by AWS services',
    page: 'https://aws.amazon.com/eventbridge/pricing/',
  },
  schedulerInvocation: {
    usd: 1 / 1_000_000,
    unit: 'EventBridge Scheduler invocation',
    listed: '$1.00 per million invocations',
    page: 'https://aws.amazon.com/eventbridge/pricing/',
    note: '14 million free a month per account, not applied',
  },
  auroraSnapshotStorageGbMonth: {
    usd: 0.021,
    unit: 'GB-month of Aurora backup (snapshot) storage',
    listed: '$0.021 per GB-month',
    page: 'https://aws.amazon.com/rds/aurora/pricing/',
    note: 'the same rate is assumed in every region of a workload',
  },
  interRegionTransferGb: {
    usd: 0.02,
    unit: 'GB copied to another region (inter-region data transfer out of us-east-1)',
    listed: '$0.02 per GB',
    page: 'https://aws.amazon.com/rds/aurora/pricing/',
    note: 'a cross-region snapshot copy is billed as data transfer; a copy within a region (the vault account) is not',
  },
  awsBackupAuroraStorageGbMonth: {
    usd: 0.021,
    unit: 'GB-month of Aurora snapshots kept by AWS Backup (warm)',
    listed: '$0.021 per GB-month',
    page: 'https://aws.amazon.com/backup/pricing/',
  },
  awsBackupCrossRegionTransferGb: {
    usd: 0.02,
    unit: 'GB of an AWS Backup cross-region copy of an Aurora snapshot',
    listed: '$0.02 per GB',
    page: 'https://aws.amazon.com/backup/pricing/',
  },
} as const satisfies Record<string, ListPrice>;

export type PriceTable = typeof PRICES;
