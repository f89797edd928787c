/**
 * A loopback layer in front of moto that copies a snapshot another account shared, as AWS does and moto cannot
 * (moto looks the source up in the caller's own account and answers DBClusterSnapshotNotFound): the organization
 * demo's vault and the cross-account tests need it. The copy it makes belongs to the caller, holds the same
 * cluster, engine and version, and carries exactly the Tags of the request (moto's own rule for a copy with
 * Tags). It records every request with its form, so a test can check what the copy call carried and what S3
 * requests said.
 */
import type { IncomingMessage } from 'node:http';
import { EMULATOR_DEFAULT_ACCOUNT } from './emulator.js';
import { forward, rdsError, startLayer } from './http-forward.js';

export interface RecordedRequest {
  readonly action: string;
  readonly account: string;
  readonly form: URLSearchParams;
  readonly method: string;
  /** The path (an S3 request's bucket and key, path-style). */
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
}

export interface SharedCopyLayer {
  readonly endpoint: string;
  /** Every request received, in order. */
  requests(): readonly RecordedRequest[];
  stop(): Promise<void>;
}

const RDS_VERSION = '2014-10-31';

function accountOf(req: IncomingMessage): string {
  const header = req.headers['x-moto-account-id'];
  return typeof header === 'string' ? header : EMULATOR_DEFAULT_ACCOUNT;
}

function field(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

export interface SharedCopyLayerOptions {
  /** Keep every request for `requests()`; a long demo leaves it off. @default true */
  readonly record?: boolean;
}

export async function startSharedCopyLayer(
  target: string,
  options: SharedCopyLayerOptions = {},
): Promise<SharedCopyLayer> {
  const record = options.record ?? true;
  const upstream = new URL(target);
  const recorded: RecordedRequest[] = [];

  /** One RDS call to moto as `account`, with the signed headers of the request being answered (its region). */
  const call = async (req: IncomingMessage, account: string, params: Record<string, string>) => {
    const body = Buffer.from(new URLSearchParams({ Version: RDS_VERSION, ...params }).toString());
    const headers = { ...req.headers, 'x-moto-account-id': account };
    const request = { method: 'POST', url: '/', headers } as unknown as IncomingMessage;
    const answer = await forward(upstream, request, body);
    return { ...answer, text: answer.body.toString('utf8') };
  };

  /** The identifiers of the automated snapshots of `clusterId` in `account`. */
  const automatedOf = async (req: IncomingMessage, account: string, clusterId: string) => {
    const listed = await call(req, account, {
      Action: 'DescribeDBClusterSnapshots',
      SnapshotType: 'automated',
    });
    const ids = new Set<string>();
    for (const [block] of listed.text.matchAll(/<DBClusterSnapshot>[\s\S]*?<\/DBClusterSnapshot>/g)) {
      const id = field(block, 'DBClusterSnapshotIdentifier');
      if (id !== undefined && field(block, 'DBClusterIdentifier') === clusterId) ids.add(id);
    }
    return ids;
  };

  const copyShared = async (req: IncomingMessage, form: URLSearchParams, caller: string) => {
    const sourceArn = form.get('SourceDBClusterSnapshotIdentifier') ?? '';
    const [, , , , owner, , sourceId] = sourceArn.split(':');
    const notFound = rdsError(
      404,
      'DBClusterSnapshotNotFoundFault',
      `DBClusterSnapshot ${sourceArn} not found.`,
    );
    if (!owner || !sourceId) return notFound;
    const attributes = await call(req, owner, {
      Action: 'DescribeDBClusterSnapshotAttributes',
      DBClusterSnapshotIdentifier: sourceId,
    });
    if (
      attributes.status !== 200 ||
      !attributes.text.includes(`<AttributeValue>${caller}</AttributeValue>`)
    ) {
      return notFound;
    }
    const described = await call(req, owner, {
      Action: 'DescribeDBClusterSnapshots',
      DBClusterSnapshotIdentifier: sourceId,
    });
    const clusterId = field(described.text, 'DBClusterIdentifier');
    const engine = field(described.text, 'Engine');
    const version = field(described.text, 'EngineVersion');
    if (!clusterId || !engine || !version) return notFound;
    // The same data in the caller's account: a stand-in cluster of the same name, engine and version, its
    // snapshot under the target name with the request's tags, and the stand-in gone again, with the automated
    // snapshot moto made for it (named after the cluster and the minute: a second stand-in of the same
    // cluster within the minute would otherwise fail on it).
    const automatedBefore = await automatedOf(req, caller, clusterId);
    const standIn = await call(req, caller, {
      Action: 'CreateDBCluster',
      DBClusterIdentifier: clusterId,
      Engine: engine,
      EngineVersion: version,
      MasterUsername: 'postgres',
      MasterUserPassword: 'not-a-secret-1',
    });
    if (standIn.status !== 200) return standIn;
    const tags = Object.fromEntries([...form].filter(([key]) => key.startsWith('Tags.')));
    const made = await call(req, caller, {
      Action: 'CreateDBClusterSnapshot',
      DBClusterIdentifier: clusterId,
      DBClusterSnapshotIdentifier: form.get('TargetDBClusterSnapshotIdentifier') ?? '',
      ...tags,
    });
    await call(req, caller, {
      Action: 'DeleteDBCluster',
      DBClusterIdentifier: clusterId,
      SkipFinalSnapshot: 'true',
    });
    for (const id of await automatedOf(req, caller, clusterId)) {
      if (!automatedBefore.has(id))
        await call(req, caller, { Action: 'DeleteDBClusterSnapshot', DBClusterSnapshotIdentifier: id });
    }
    if (made.status !== 200) return made;
    return {
      ...made,
      body: Buffer.from(made.text.replaceAll('CreateDBClusterSnapshot', 'CopyDBClusterSnapshot')),
    };
  };

  const layer = await startLayer(target, 'shared copy layer', async ({ action, form }, req, pass) => {
    const caller = accountOf(req);
    if (record)
      recorded.push({
        action: action ?? 'unknown',
        account: caller,
        form,
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
      });
    const sourceArn = form.get('SourceDBClusterSnapshotIdentifier') ?? '';
    if (
      action === 'CopyDBClusterSnapshot' &&
      sourceArn.startsWith('arn:') &&
      sourceArn.split(':')[4] !== caller
    ) {
      return copyShared(req, form, caller);
    }
    return pass();
  });
  return { endpoint: layer.endpoint, requests: () => [...recorded], stop: layer.stop };
}
