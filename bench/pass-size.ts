/**
 * Comparison 5, a pass's size: the real source handlers (take, then delete) over an account with a
 * raised snapshot quota, N manual snapshots over N/10 clusters, served by a loopback stand-in for RDS's
 * Query API in pages of 100 as RDS pages them (moto serves one page and creating 10,000 snapshots in it
 * takes minutes). Each size runs in a fresh Node process; its peak resident memory sizes the functions'
 * memory (src/infra/functions.ts).
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { listenOnLoopback, readBody } from '../test/support/http-forward.js';
import type { PassSample } from './pass-worker.js';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const PAGE = 100;

export const DEFAULT_PASS_SIZES = [1_000, 10_000] as const;

export interface PassSizeResult {
  readonly rows: readonly (PassSample & { readonly clusters: number; readonly pages: number })[];
  /** Lambda memory (MB) the functions are given, and the peak the largest pass took. */
  readonly functionMemoryMB: number;
}

function snapshotXml(cluster: string, index: number, at: Date): string {
  const stamp = at.toISOString().slice(0, 16).replace(/[T:]/g, '-');
  const id = `${cluster}-${stamp}`;
  return (
    `<DBClusterSnapshot><DBClusterSnapshotIdentifier>${id}</DBClusterSnapshotIdentifier>` +
    `<DBClusterIdentifier>${cluster}</DBClusterIdentifier><SnapshotType>manual</SnapshotType>` +
    `<Status>available</Status><Engine>aurora-postgresql</Engine><PercentProgress>100</PercentProgress>` +
    `<SnapshotCreateTime>${at.toISOString()}</SnapshotCreateTime><StorageEncrypted>true</StorageEncrypted>` +
    `<KmsKeyId>arn:aws:kms:${REGION}:${ACCOUNT}:key/0b3a2c5e-1111-2222-3333-44445555${String(index % 10000).padStart(4, '0')}</KmsKeyId>` +
    `<DBClusterSnapshotArn>arn:aws:rds:${REGION}:${ACCOUNT}:cluster-snapshot:${id}</DBClusterSnapshotArn>` +
    `<TagList><Tag><Key>CreatedBy</Key><Value>Snapshot Tool for Aurora</Value></Tag>` +
    `<Tag><Key>SnapshotTool:PointInTime</Key><Value>${at.toISOString()}</Value></Tag>` +
    `<Tag><Key>SnapshotTool:SourceCluster</Key><Value>${cluster}</Value></Tag></TagList></DBClusterSnapshot>`
  );
}

/** A stand-in for RDS and KMS answering the calls of a pass that finds nothing to do. */
async function startFakeRds(snapshots: number, clusters: number) {
  const now = Date.now();
  const clusterIds = Array.from({ length: clusters }, (_, i) => `app-${String(i).padStart(5, '0')}`);
  const all = Array.from({ length: snapshots }, (_, i) =>
    // Every cluster has a snapshot of the last hour (nothing is due), the others go back an hour each.
    snapshotXml(
      clusterIds[i % clusters] as string,
      i,
      new Date(now - (Math.floor(i / clusters) + 1) * 3_600_000),
    ),
  );
  let pages = 0;
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const form = new URLSearchParams(body.toString('utf8'));
      const action = form.get('Action');
      const wrap = (inner: string) =>
        `<${action}Response xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></${action}Response>`;
      let xml: string;
      if (action === 'DescribeDBClusterSnapshots') {
        pages += 1;
        const start = Number(form.get('Marker') ?? '0');
        const type = form.get('SnapshotType');
        const page = type === 'manual' || type === null ? all.slice(start, start + PAGE) : [];
        const next = start + PAGE < all.length && page.length > 0 ? `<Marker>${start + PAGE}</Marker>` : '';
        xml = wrap(`<DBClusterSnapshots>${page.join('')}</DBClusterSnapshots>${next}`);
      } else if (action === 'DescribeDBClusters') {
        const start = Number(form.get('Marker') ?? '0');
        const page = clusterIds
          .slice(start, start + PAGE)
          .map(
            (id) =>
              `<DBCluster><DBClusterIdentifier>${id}</DBClusterIdentifier><DBClusterArn>arn:aws:rds:${REGION}:${ACCOUNT}:cluster:${id}</DBClusterArn><Engine>aurora-postgresql</Engine><Status>available</Status><StorageEncrypted>true</StorageEncrypted></DBCluster>`,
          );
        const next = start + PAGE < clusterIds.length ? `<Marker>${start + PAGE}</Marker>` : '';
        xml = wrap(`<DBClusters>${page.join('')}</DBClusters>${next}`);
      } else if (action === 'DescribeAccountAttributes') {
        xml = wrap(
          `<AccountQuotas><AccountQuota><AccountQuotaName>ManualClusterSnapshots</AccountQuotaName><Used>${snapshots}</Used><Max>${snapshots * 2}</Max></AccountQuota></AccountQuotas>`,
        );
      } else if (req.headers['x-amz-target'] === 'TrentService.DescribeKey') {
        const keyId = (JSON.parse(body.toString('utf8')) as { KeyId: string }).KeyId;
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ KeyMetadata: { KeyId: keyId, Arn: keyId, KeyManager: 'CUSTOMER' } }));
        return;
      } else if (action === 'GetCallerIdentity') {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          `<GetCallerIdentityResponse><GetCallerIdentityResult><Account>${ACCOUNT}</Account><Arn>arn:aws:iam::${ACCOUNT}:user/bench</Arn><UserId>bench</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>`,
        );
        return;
      } else {
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(
          `<ErrorResponse><Error><Code>InvalidAction</Code><Message>bench: ${action}</Message></Error></ErrorResponse>`,
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(xml);
    });
  });
  const endpoint = await listenOnLoopback(server);
  return { endpoint, pages: () => pages, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

async function measure(snapshots: number, clusters: number) {
  const rds = await startFakeRds(snapshots, clusters);
  try {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'bench', 'pass-worker.ts'), String(snapshots)],
      {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          AWS_ENDPOINT_URL: rds.endpoint,
          AWS_REGION: REGION,
          AWS_ACCESS_KEY_ID: 'bench',
          AWS_SECRET_ACCESS_KEY: 'bench',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          POWERTOOLS_METRICS_DISABLED: 'true',
        },
      },
    );
    const sample = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as PassSample;
    return { ...sample, clusters, pages: rds.pages() };
  } finally {
    await rds.stop();
  }
}

export async function runPassSize(
  sizes: readonly number[] = DEFAULT_PASS_SIZES,
  functionMemoryMB: number,
  log: (message: string) => void = () => {},
): Promise<PassSizeResult> {
  const rows = [];
  for (const snapshots of sizes) {
    log(`pass size: ${snapshots} snapshots, take then delete`);
    rows.push(await measure(snapshots, Math.max(1, Math.floor(snapshots / 10))));
  }
  return { rows, functionMemoryMB };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runPassSize(DEFAULT_PASS_SIZES, 0, (m) => process.stderr.write(`  ${m}\n`)).then(
    (result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
