/**
 * What the restore tests need of moto beyond the estate: the recovery region's network (subnets through
 * EC2's Query API, which the tool has no client for), and a layer in front of moto that records each API
 * action it receives and answers DescribeDBEngineVersions, which moto does not implement (HTTP 500), with
 * the versions a test says the region offers.
 */
import { createServer } from 'node:http';
import {
  CreateDBClusterParameterGroupCommand,
  CreateDBParameterGroupCommand,
  CreateDBSubnetGroupCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { failRequest, forward, identify, listenOnLoopback, readBody, send } from './http-forward.js';

/** One EC2 Query call to moto, unsigned but scoped to `region` (moto reads the region from the scope). */
export async function ec2Query(
  endpoint: string,
  region: string,
  params: Record<string, string>,
): Promise<string> {
  const answer = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${region}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ Version: '2016-11-15', ...params }).toString(),
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`EC2 ${params.Action} in ${region}: ${answer.status} ${text}`);
  return text;
}

/** The subnets of the region's default VPC. */
export async function defaultSubnets(endpoint: string, region: string): Promise<string[]> {
  const xml = await ec2Query(endpoint, region, { Action: 'DescribeSubnets' });
  return [...xml.matchAll(/<subnetId>([^<]+)<\/subnetId>/g)].map((m) => m[1] ?? '');
}

/** A DB subnet group `name` over two subnets of the region's default VPC. */
export async function createSubnetGroup(
  rds: RDSClient,
  endpoint: string,
  region: string,
  name: string,
): Promise<void> {
  await rds.send(
    new CreateDBSubnetGroupCommand({
      DBSubnetGroupName: name,
      DBSubnetGroupDescription: name,
      SubnetIds: (await defaultSubnets(endpoint, region)).slice(0, 2),
    }),
  );
}

/** A cluster parameter group and/or a DB (instance) parameter group of the aurora-postgresql15 family. */
export async function createParameterGroups(
  rds: RDSClient,
  names: { readonly cluster?: string; readonly instance?: string },
): Promise<void> {
  const family = 'aurora-postgresql15';
  if (names.cluster !== undefined) {
    await rds.send(
      new CreateDBClusterParameterGroupCommand({
        DBClusterParameterGroupName: names.cluster,
        DBParameterGroupFamily: family,
        Description: names.cluster,
      }),
    );
  }
  if (names.instance !== undefined) {
    await rds.send(
      new CreateDBParameterGroupCommand({
        DBParameterGroupName: names.instance,
        DBParameterGroupFamily: family,
        Description: names.instance,
      }),
    );
  }
}

export interface RecordedAction {
  readonly action: string;
  readonly region: string;
}

export interface RecoveryLayer {
  readonly endpoint: string;
  /** Every action received, in order. */
  actions(): readonly RecordedAction[];
  /** Forgets the recorded actions. */
  clear(): void;
  /** The engine versions DescribeDBEngineVersions answers with (each `[version, family]`). */
  offer(versions: readonly (readonly [string, string])[]): void;
  stop(): Promise<void>;
}

export async function startRecoveryLayer(target: string): Promise<RecoveryLayer> {
  const upstream = new URL(target);
  const recorded: RecordedAction[] = [];
  let offered: readonly (readonly [string, string])[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const { action, region, form } = identify(req, body);
      recorded.push({ action: action ?? 'unknown', region });
      if (action === 'DescribeDBEngineVersions') {
        const engine = form.get('Engine') ?? '';
        const versions = offered
          .map(
            ([version, family]) =>
              `<DBEngineVersion><Engine>${engine}</Engine><EngineVersion>${version}</EngineVersion><DBParameterGroupFamily>${family}</DBParameterGroupFamily></DBEngineVersion>`,
          )
          .join('');
        const xml = `<DescribeDBEngineVersionsResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBEngineVersionsResult><DBEngineVersions>${versions}</DBEngineVersions></DescribeDBEngineVersionsResult><ResponseMetadata><RequestId>recovery-layer</RequestId></ResponseMetadata></DescribeDBEngineVersionsResponse>`;
        send(res, { status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(xml) });
        return;
      }
      send(res, await forward(upstream, req, body));
    })().catch((error: unknown) => failRequest(res, 'recovery layer', error));
  });
  const endpoint = await listenOnLoopback(server);
  return {
    endpoint,
    actions: () => [...recorded],
    clear: () => {
      recorded.length = 0;
    },
    offer: (versions) => {
      offered = versions;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
