// The events RDS sends to EventBridge (source aws.rds) about snapshots, built as RDS documents them, for the
// tests that deliver what the snapshot-event rule would (the emulator sends no RDS event): a DB cluster
// snapshot's creation started (RDS-EVENT-0074) and done (0075), an automated cluster snapshot's (0168, 0169),
// and a DB instance snapshot's (another detail-type). RDS puts the resource's tags, as they are when it sends
// the event, in detail.Tags.
import { randomUUID } from 'node:crypto';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { snapshotName } from '../../src/core/model/naming.js';
import { takeTags } from '../../src/core/plan/source-take.js';
import type { BackupPolicy } from '../../src/core/policy/backup-policy.js';

/** An event as EventBridge delivers it to a rule (the fields a pattern and an input path can read). */
export interface RdsEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: 'aws.rds';
  readonly account: string;
  /** When the event happened, ISO 8601 to the second (`2026-12-07T03:00:05Z`). */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: {
    readonly EventCategories: readonly string[];
    readonly SourceType: 'CLUSTER_SNAPSHOT' | 'SNAPSHOT';
    readonly SourceArn: string;
    /** ISO 8601 with milliseconds (`2026-12-07T03:00:05.123Z`). */
    readonly Date: string;
    readonly Message: string;
    readonly SourceIdentifier: string;
    readonly EventID: string;
    readonly Tags: Readonly<Record<string, string>>;
  };
}

/** The DB cluster snapshot events RDS documents for EventBridge, with their category and message. */
export const CLUSTER_SNAPSHOT_EVENTS = {
  'RDS-EVENT-0074': { category: 'backup', message: 'Creating manual cluster snapshot', automated: false },
  'RDS-EVENT-0075': { category: 'backup', message: 'Manual cluster snapshot created', automated: false },
  'RDS-EVENT-0168': { category: 'backup', message: 'Creating automated cluster snapshot', automated: true },
  'RDS-EVENT-0169': { category: 'backup', message: 'Automated cluster snapshot created', automated: true },
} as const;
export type ClusterSnapshotEventId = keyof typeof CLUSTER_SNAPSHOT_EVENTS;

export interface SnapshotEventOptions {
  /** The snapshot's identifier (an automated one is given the `rds:` prefix RDS names them with). */
  readonly snapshotId: string;
  /** @default eu-west-1 */
  readonly region?: string;
  /** @default 111122223333 */
  readonly account?: string;
  /** @default 2026-12-07T03:00:05.123Z */
  readonly at?: Date;
  /** The snapshot's tags when RDS sends the event. @default none */
  readonly tags?: Readonly<Record<string, string>>;
  /** EventBridge's id of the event. @default a new UUID */
  readonly id?: string;
}

const DEFAULTS = { region: 'eu-west-1', account: '111122223333', at: new Date('2026-12-07T03:00:05.123Z') };

/** EventBridge's `time`: to the second, with Z. */
function eventTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/** What tells RDS's snapshot events apart: the kind of snapshot and the event. */
interface SnapshotEventKind {
  readonly detailType: 'RDS DB Cluster Snapshot Event' | 'RDS DB Snapshot Event';
  readonly sourceType: RdsEvent['detail']['SourceType'];
  /** The resource type in the snapshot's ARN. */
  readonly arnType: 'cluster-snapshot' | 'snapshot';
  /** The snapshot's identifier as RDS names it. */
  readonly identifier: string;
  readonly category: string;
  readonly message: string;
  readonly eventId: string;
}

function snapshotEvent(kind: SnapshotEventKind, options: SnapshotEventOptions): RdsEvent {
  const region = options.region ?? DEFAULTS.region;
  const account = options.account ?? DEFAULTS.account;
  const at = options.at ?? DEFAULTS.at;
  const arn = `arn:aws:rds:${region}:${account}:${kind.arnType}:${kind.identifier}`;
  return {
    version: '0',
    id: options.id ?? randomUUID(),
    'detail-type': kind.detailType,
    source: 'aws.rds',
    account,
    time: eventTime(at),
    region,
    resources: [arn],
    detail: {
      EventCategories: [kind.category],
      SourceType: kind.sourceType,
      SourceArn: arn,
      Date: at.toISOString(),
      Message: kind.message,
      SourceIdentifier: kind.identifier,
      EventID: kind.eventId,
      Tags: { ...options.tags },
    },
  };
}

/** An `RDS DB Cluster Snapshot Event` as RDS sends it to EventBridge. */
export function clusterSnapshotEvent(
  eventId: ClusterSnapshotEventId,
  options: SnapshotEventOptions,
): RdsEvent {
  const { category, message, automated } = CLUSTER_SNAPSHOT_EVENTS[eventId];
  return snapshotEvent(
    {
      detailType: 'RDS DB Cluster Snapshot Event',
      sourceType: 'CLUSTER_SNAPSHOT',
      arnType: 'cluster-snapshot',
      identifier: automated ? `rds:${options.snapshotId}` : options.snapshotId,
      category,
      message,
      eventId,
    },
    options,
  );
}

/** An `RDS DB Snapshot Event` (a DB instance's snapshot): RDS-EVENT-0042, a manual snapshot created. */
export function instanceSnapshotEvent(options: SnapshotEventOptions): RdsEvent {
  return snapshotEvent(
    {
      detailType: 'RDS DB Snapshot Event',
      sourceType: 'SNAPSHOT',
      arnType: 'snapshot',
      identifier: options.snapshotId,
      category: 'creation',
      message: 'Manual snapshot created',
      eventId: 'RDS-EVENT-0042',
    },
    options,
  );
}

/**
 * The tags a snapshot the tool took carries (the take decision's own, src/core/plan/source-take.ts), for the
 * cluster `clusterId` of `region`, taken at `at`.
 */
export function toolSnapshotTags(
  clusterId: string,
  { region = DEFAULTS.region, account = DEFAULTS.account, at = DEFAULTS.at } = {},
): Record<string, string> {
  const policy = { Region: region, ShareSnapshots: true, Tags: {} } as unknown as BackupPolicy;
  return { ...takeTags(policy, clusterId, account, at) };
}

/** The tool's snapshot of `clusterId` (named as the tool names it) as RDS reports it: `eventId` with its tags. */
export function toolSnapshotEvent(
  eventId: ClusterSnapshotEventId,
  clusterId: string,
  options: Omit<SnapshotEventOptions, 'snapshotId' | 'tags'> & { readonly snapshotId?: string } = {},
): RdsEvent {
  const at = options.at ?? DEFAULTS.at;
  return clusterSnapshotEvent(eventId, {
    ...options,
    snapshotId: options.snapshotId ?? snapshotName(clusterId, at),
    tags: toolSnapshotTags(clusterId, {
      region: options.region ?? DEFAULTS.region,
      account: options.account ?? DEFAULTS.account,
      at,
    }),
  });
}

/**
 * The PutEvents entry that makes EventBridge (moto's) deliver `event` to the default bus: its source,
 * detail-type, resources, detail and time. EventBridge gives the delivered event its own id, account and
 * region (AWS refuses an `aws.` source from PutEvents; moto takes it, which is what lets a test deliver RDS's
 * events).
 */
export function putEventsEntry(event: RdsEvent, eventBusName?: string): PutEventsRequestEntry {
  return {
    Source: event.source,
    DetailType: event['detail-type'],
    Resources: [...event.resources],
    Detail: JSON.stringify(event.detail),
    Time: new Date(event.time),
    ...(eventBusName ? { EventBusName: eventBusName } : {}),
  };
}

/** A rule target's input transformer, as the template gives it. */
export interface InputTransformer {
  readonly InputPathsMap: Readonly<Record<string, string>>;
  readonly InputTemplate: string;
}

/** The value at a JSON path of the form `$.a.b` in `event`, or undefined. */
function atPath(event: unknown, path: string): unknown {
  if (!/^\$(\.[A-Za-z0-9_-]+)*$/.test(path)) throw new Error(`unsupported input path ${path}`);
  return path
    .split('.')
    .slice(1)
    .reduce<unknown>(
      (node, key) =>
        node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
      event,
    );
}

/**
 * The text EventBridge hands the target for `event`, as its documentation describes input transformation:
 * each `<name>` of InputPathsMap is the value at its path; inside quotes a string is put in escaped for JSON,
 * outside quotes a value is put in as JSON; a path the event lacks gives null.
 */
export function transformInput(transformer: InputTransformer, event: RdsEvent): string {
  let text = transformer.InputTemplate;
  for (const [name, path] of Object.entries(transformer.InputPathsMap)) {
    const value = atPath(event, path);
    const json = JSON.stringify(value ?? null);
    text = text
      .replaceAll(`"<${name}>"`, typeof value === 'string' ? json : `"${json.replaceAll('"', '\\"')}"`)
      .replaceAll(`<${name}>`, json);
  }
  return text;
}
