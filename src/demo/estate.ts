/**
 * The demo's estate on the emulator: a source region with three Aurora PostgreSQL clusters (two match
 * the pattern, one of those encrypted with a customer managed key), an untagged manual snapshot that
 * retention must never touch, two destination regions with their own keys (the copies in the first are
 * shared with a second account, the second region keeps copies in this account).
 */
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  DescribeDBClusterSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { silenceNodeVersionWarning } from '../aws/index.js';
import type { DestinationConfig, SourceConfig } from '../config/schema.js';
import { DestinationSchema, SourceSchema } from '../config/schema.js';

/** moto's default account: requests without the account header act as it. */
export const SOURCE_ACCOUNT = '123456789012';
/** The account the snapshots are shared with. */
export const SHARE_ACCOUNT = '222222222222';
export const SOURCE_REGION = 'us-east-1';
export const DESTINATION_REGION = 'us-west-2';
/** The second destination region: copies in this account, with their own destination job. */
export const SECOND_REGION = 'eu-west-1';
export const CLUSTER_PATTERN = '^prod-';

export interface DemoCluster {
  readonly id: string;
  readonly matches: boolean;
  /** Encrypted with the source region's customer managed key. */
  readonly encrypted: boolean;
}

export const CLUSTERS: readonly DemoCluster[] = [
  { id: 'prod-orders', matches: true, encrypted: true },
  { id: 'prod-payments', matches: true, encrypted: false },
  { id: 'staging-analytics', matches: false, encrypted: false },
];

/** The instance classes of prod-orders, writer first. */
export const SOURCE_INSTANCES = ['db.r6g.large', 'db.r6g.xlarge'] as const;

/** A manual snapshot someone took by hand before an upgrade: no tool tags, so never the tool's to delete. */
export const UNTAGGED_SNAPSHOT = { id: 'prod-orders-before-upgrade', clusterId: 'prod-orders' } as const;

export interface DemoSettings {
  readonly days: number;
  readonly backupSchedule: string;
  readonly backupInterval: number;
  readonly sourceRetentionDays: number;
  readonly destinationRetentionDays: number;
  /** When the destination account's retention job runs (in destinationTimezone). */
  readonly destinationSchedule: string;
  /** The keep rules beyond RetentionDays: the source's in UTC, the destination's in its own zone. */
  readonly sourceKeepDaily: number;
  readonly destinationKeepDaily: number;
  readonly destinationKeepWeekly: number;
  readonly destinationTimezone: string;
  /** The second region's destination job: its RetentionDays and KeepDaily (in UTC). */
  readonly secondRetentionDays: number;
  readonly secondKeepDaily: number;
}

export const DEFAULT_SETTINGS: Omit<DemoSettings, 'days'> = {
  backupSchedule: '0 0,8,16 * * ? *',
  backupInterval: 8,
  sourceRetentionDays: 2,
  destinationRetentionDays: 3,
  destinationSchedule: '0 5,13,21 * * ? *',
  sourceKeepDaily: 4,
  destinationKeepDaily: 7,
  destinationKeepWeekly: 4,
  destinationTimezone: 'Europe/Berlin',
  secondRetentionDays: 4,
  secondKeepDaily: 4,
};

export interface Estate {
  readonly sourceKeyArn: string;
  readonly destinationKeyArn: string;
  readonly secondKeyArn: string;
  readonly source: SourceConfig;
  readonly destination: DestinationConfig;
  /** The destination job of SECOND_REGION. */
  readonly second: DestinationConfig;
  readonly secondInput: { readonly Destination: Record<string, unknown> };
  /** The execution inputs of the two state machines (the configuration blocks, as a user writes them). */
  readonly sourceInput: { readonly Source: Record<string, unknown> };
  readonly destinationInput: { readonly Destination: Record<string, unknown> };
  /** Identifiers of the automated snapshots moto made with the clusters (they must survive too). */
  readonly automatedSnapshots: readonly string[];
}

export interface EstateClients {
  readonly rds: (region: string) => RDSClient;
  readonly kms: (region: string) => KMSClient;
}

/** Plain SDK clients straight to the emulator (not through the call counter: setting up is not the tool's work). */
export function emulatorClients(
  endpoint: string,
): EstateClients & { readonly endpoint: string; destroy(): void } {
  silenceNodeVersionWarning();
  const credentials = { accessKeyId: 'demo', secretAccessKey: 'demo' };
  const rds = new Map<string, RDSClient>();
  const kms = new Map<string, KMSClient>();
  const get = <C>(map: Map<string, C>, region: string, make: () => C): C => {
    let client = map.get(region);
    if (!client) {
      client = make();
      map.set(region, client);
    }
    return client;
  };
  return {
    endpoint,
    rds: (region) => get(rds, region, () => new RDSClient({ region, endpoint, credentials, maxAttempts: 2 })),
    kms: (region) => get(kms, region, () => new KMSClient({ region, endpoint, credentials, maxAttempts: 2 })),
    destroy() {
      for (const client of [...rds.values(), ...kms.values()]) client.destroy();
    },
  };
}

export async function buildEstate(clients: EstateClients, settings: DemoSettings): Promise<Estate> {
  const sourceKeyArn = await createKey(clients.kms(SOURCE_REGION), 'Aurora snapshots, source region');
  const destinationKeyArn = await createKey(
    clients.kms(DESTINATION_REGION),
    'Aurora snapshot copies, DR region',
  );
  const secondKeyArn = await createKey(
    clients.kms(SECOND_REGION),
    'Aurora snapshot copies, second DR region',
  );
  const rds = clients.rds(SOURCE_REGION);
  for (const cluster of CLUSTERS) {
    await rds.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: cluster.id,
        Engine: 'aurora-postgresql',
        EngineVersion: '16.4',
        MasterUsername: 'postgres',
        MasterUserPassword: 'demo-password-1',
        DatabaseName: cluster.id.replaceAll('-', '_'),
        ...(cluster.encrypted ? { StorageEncrypted: true, KmsKeyId: sourceKeyArn } : {}),
        Tags: [{ Key: 'Environment', Value: cluster.id.split('-')[0] ?? 'prod' }],
      }),
    );
  }
  // The cluster the demo restores at its end has a writer and a reader, as a production cluster does.
  for (const [n, instanceClass] of SOURCE_INSTANCES.entries()) {
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: `prod-orders-${n + 1}`,
        DBClusterIdentifier: 'prod-orders',
        DBInstanceClass: instanceClass,
        Engine: 'aurora-postgresql',
      }),
    );
  }
  await rds.send(
    new CreateDBClusterSnapshotCommand({
      DBClusterIdentifier: UNTAGGED_SNAPSHOT.clusterId,
      DBClusterSnapshotIdentifier: UNTAGGED_SNAPSHOT.id,
    }),
  );
  const automated = await rds.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'automated' }));
  const sourceInput = {
    Source: {
      Region: SOURCE_REGION,
      ClusterNamePattern: CLUSTER_PATTERN,
      BackupInterval: settings.backupInterval,
      BackupSchedule: settings.backupSchedule,
      RetentionDays: settings.sourceRetentionDays,
      KeepDaily: settings.sourceKeepDaily,
      DeleteOldSnapshots: 'TRUE',
      ShareSnapshots: 'TRUE',
      // Two destinations: copies in us-west-2 shared with the second account, and copies in eu-west-1.
      Destinations: [
        { Region: DESTINATION_REGION, Account: SHARE_ACCOUNT, KmsKeyDestination: destinationKeyArn },
        { Region: SECOND_REGION, KmsKeyDestination: secondKeyArn },
      ],
      KmsKeySource: sourceKeyArn,
      // The functions' JSON logs would bury the demo's own output; it prints each failed execution itself.
      LogLevel: 'CRITICAL',
      Tags: { Environment: 'prod' },
    },
  };
  const destinationInput = {
    Destination: {
      Region: DESTINATION_REGION,
      SnapshotPattern: CLUSTER_PATTERN,
      RetentionDays: settings.destinationRetentionDays,
      KeepDaily: settings.destinationKeepDaily,
      KeepWeekly: settings.destinationKeepWeekly,
      DeleteOldSnapshots: 'TRUE',
      SourceRegion: SOURCE_REGION,
      Schedule: settings.destinationSchedule,
      ScheduleTimezone: settings.destinationTimezone,
      LogLevel: 'CRITICAL',
    },
  };
  const secondInput = {
    Destination: {
      Region: SECOND_REGION,
      SnapshotPattern: CLUSTER_PATTERN,
      RetentionDays: settings.secondRetentionDays,
      KeepDaily: settings.secondKeepDaily,
      DeleteOldSnapshots: 'TRUE',
      SourceRegion: SOURCE_REGION,
      Schedule: settings.destinationSchedule,
      ScheduleTimezone: settings.destinationTimezone,
      LogLevel: 'CRITICAL',
    },
  };
  return {
    sourceKeyArn,
    destinationKeyArn,
    secondKeyArn,
    source: SourceSchema.parse(sourceInput.Source),
    destination: DestinationSchema.parse(destinationInput.Destination),
    second: DestinationSchema.parse(secondInput.Destination),
    secondInput,
    sourceInput,
    destinationInput,
    automatedSnapshots: (automated.DBClusterSnapshots ?? []).map((s) => s.DBClusterSnapshotIdentifier ?? ''),
  };
}

async function createKey(kms: KMSClient, description: string): Promise<string> {
  const key = await kms.send(new CreateKeyCommand({ Description: description }));
  const arn = key.KeyMetadata?.Arn;
  if (!arn) throw new Error('the emulator returned a KMS key without an ARN');
  return arn;
}
