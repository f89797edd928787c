// Records every AWS API call a function makes while the state-machine tests run its real handler: which function, which command, its input and outcome, and the tags the resource carried just before (what IAM sees as aws:ResourceTag).
import { AsyncLocalStorage } from 'node:async_hooks';
import { EC2Client } from '@aws-sdk/client-ec2';
import { KMSClient } from '@aws-sdk/client-kms';
import {
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { STSClient } from '@aws-sdk/client-sts';
import { MOTO_ACCOUNT_HEADER } from '../../src/aws/clients.js';

export interface CallingFunction {
  /** The function's name (`TakeSnapshotsAurora`). */
  readonly name: string;
  readonly region: string;
  readonly account: string;
}

export interface SnapshotBefore {
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly kmsKeyId?: string | undefined;
  /** Of a snapshot or a cluster: what names its default parameter and option groups. */
  readonly engine?: string | undefined;
  readonly engineVersion?: string | undefined;
  /** Of a cluster: its DB subnet group. */
  readonly subnetGroup?: string | undefined;
}

export interface RecordedCall {
  readonly fn: CallingFunction;
  /** Signing name: `rds`, `kms`, `sts`, `ec2`. */
  readonly service: string;
  /** The API action (`CreateDBClusterSnapshot`). */
  readonly action: string;
  /** Region of the client that made the call. */
  readonly region: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly output?: Readonly<Record<string, unknown>>;
  /** The error's name when the call failed. */
  readonly error?: string;
  /**
   * The snapshots the call names, as they were just before it (absent when none existed), by identifier or
   * ARN; the clusters and instances it names by `cluster:<id>` and `db:<id>`.
   */
  readonly before: Readonly<Record<string, SnapshotBefore>>;
}

const running = new AsyncLocalStorage<CallingFunction>();
const calls: RecordedCall[] = [];
let lookupEndpoint: (() => string) | undefined;

/** Runs `body` as the function `functionArn` (arn:aws:lambda:<region>:<account>:function:<name>). */
export function asFunction<T>(functionArn: string, body: () => Promise<T>): Promise<T> {
  const [, , , region, account, , name] = functionArn.split(':');
  if (!region || !account || !name) return body();
  return running.run({ name, region, account }, body);
}

/**
 * Starts recording (forgetting what was recorded): calls are recorded only in test files that ask for it.
 * `endpoint` is where the recorder reads a snapshot's tags before a call: moto itself, never a fault
 * proxy in front of it (whose counts and faults the tests assert).
 */
export function startRecording(endpoint: () => string): void {
  lookupEndpoint = endpoint;
  calls.length = 0;
}

export function recordedCalls(): readonly RecordedCall[] {
  return [...calls];
}

/** The snapshot identifiers (or ARNs) a call names, and their regions when the ARN says so. */
function namedSnapshots(action: string, input: Record<string, unknown>): string[] {
  switch (action) {
    case 'DeleteDBClusterSnapshot':
    case 'ModifyDBClusterSnapshotAttribute':
      return [String(input.DBClusterSnapshotIdentifier)];
    case 'CopyDBClusterSnapshot':
      return [
        String(input.SourceDBClusterSnapshotIdentifier),
        String(input.TargetDBClusterSnapshotIdentifier),
      ];
    case 'CreateDBClusterSnapshot':
      return [String(input.DBClusterSnapshotIdentifier)];
    case 'RestoreDBClusterFromSnapshot':
      return [String(input.SnapshotIdentifier)];
    case 'AddTagsToResource':
    case 'RemoveTagsFromResource':
      return String(input.ResourceName).includes(':cluster-snapshot:') ? [String(input.ResourceName)] : [];
    default:
      return [];
  }
}

/** The clusters (`cluster:<id>`) and instances (`db:<id>`) a drill call names. */
function namedClustersAndInstances(action: string, input: Record<string, unknown>): string[] {
  switch (action) {
    case 'DeleteDBCluster':
      return [`cluster:${String(input.DBClusterIdentifier)}`];
    case 'DeleteDBInstance':
      return [`db:${String(input.DBInstanceIdentifier)}`];
    case 'CreateDBInstance':
      return input.DBClusterIdentifier === undefined ? [] : [`cluster:${String(input.DBClusterIdentifier)}`];
    default:
      return [];
  }
}

async function lookUpClusterOrInstance(
  named: string,
  client: RDSClient,
): Promise<SnapshotBefore | undefined> {
  const tagsOf = (list: { Key?: string | undefined; Value?: string | undefined }[] | undefined) =>
    Object.fromEntries((list ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  const [kind, id] = named.split(/:(.*)/s) as [string, string];
  if (kind === 'cluster') {
    const answer = await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
    const cluster = answer.DBClusters?.[0];
    if (!cluster?.DBClusterArn) return undefined;
    return {
      arn: cluster.DBClusterArn,
      tags: tagsOf(cluster.TagList),
      engine: cluster.Engine,
      engineVersion: cluster.EngineVersion,
      subnetGroup: cluster.DBSubnetGroup,
    };
  }
  const answer = await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
  const instance = answer.DBInstances?.[0];
  if (!instance?.DBInstanceArn) return undefined;
  return { arn: instance.DBInstanceArn, tags: tagsOf(instance.TagList) };
}

async function lookUp(
  idOrArn: string,
  region: string,
  fn: CallingFunction,
  endpoint: string,
): Promise<SnapshotBefore | undefined> {
  const arnRegion = idOrArn.startsWith('arn:') ? idOrArn.split(':')[3] : undefined;
  const arnAccount = idOrArn.startsWith('arn:') ? idOrArn.split(':')[4] : undefined;
  const client = new RDSClient({
    region: arnRegion ?? region,
    maxAttempts: 3,
    endpoint,
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers[MOTO_ACCOUNT_HEADER] = fn.account;
      return next(args);
    },
    { step: 'build', name: 'recorderAccount' },
  );
  try {
    if (/^(cluster|db):/.test(idOrArn))
      return await running.exit(() => lookUpClusterOrInstance(idOrArn, client));
    const answer = await running.exit(() =>
      client.send(
        new DescribeDBClusterSnapshotsCommand({
          // moto finds the account's own snapshots by identifier only, shared ones by ARN.
          DBClusterSnapshotIdentifier:
            arnAccount === fn.account ? (idOrArn.split(':cluster-snapshot:')[1] ?? idOrArn) : idOrArn,
          ...(arnAccount && arnAccount !== fn.account ? { IncludeShared: true } : {}),
        }),
      ),
    );
    const snapshot = answer.DBClusterSnapshots?.[0];
    if (!snapshot?.DBClusterSnapshotArn) return undefined;
    return {
      arn: snapshot.DBClusterSnapshotArn,
      tags: Object.fromEntries((snapshot.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
      kmsKeyId: snapshot.KmsKeyId,
      engine: snapshot.Engine,
      engineVersion: snapshot.EngineVersion,
    };
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

type Sendable = { send: (command: unknown, ...rest: unknown[]) => Promise<unknown> };

function record(service: string, prototype: Sendable): void {
  const original = prototype.send;
  if ((original as { recorded?: boolean }).recorded) return;
  const wrapped = async function (
    this: Sendable & { config: { region: () => Promise<string> } },
    command: unknown,
    ...rest: unknown[]
  ) {
    const fn = running.getStore();
    if (!fn || !lookupEndpoint) return original.call(this, command, ...rest);
    const action = String((command as object).constructor.name).replace(/Command$/, '');
    const input = { ...((command as { input?: Record<string, unknown> }).input ?? {}) };
    const region = await this.config.region();
    const before: Record<string, SnapshotBefore> = {};
    if (service === 'rds') {
      const endpoint = lookupEndpoint();
      for (const named of [...namedSnapshots(action, input), ...namedClustersAndInstances(action, input)]) {
        const found = await lookUp(named, region, fn, endpoint);
        if (found) before[named] = found;
      }
    }
    try {
      const output = (await original.call(this, command, ...rest)) as Record<string, unknown>;
      calls.push({ fn, service, action, region, input, output, before });
      return output;
    } catch (error) {
      calls.push({ fn, service, action, region, input, error: (error as Error).name, before });
      throw error;
    }
  };
  Object.assign(wrapped, { recorded: true });
  prototype.send = wrapped as Sendable['send'];
}

record('rds', RDSClient.prototype as unknown as Sendable);
record('kms', KMSClient.prototype as unknown as Sendable);
record('sts', STSClient.prototype as unknown as Sendable);
record('ec2', EC2Client.prototype as unknown as Sendable);
