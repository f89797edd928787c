// The shapes buckets in memory, as S3 answers the carrier: a bucket exists only once its owner made it, a put
// names the owner it expects (ExpectedBucketOwner) and is refused by any other, the vault reads its own bucket.
import type { ShapeCarrier } from '../../src/core/model/ports.js';
import { shapeBucketName, shapeObjectBody, shapeObjectKey } from '../../src/core/model/shape-carrier.js';

export class MemoryShapeCarrier implements ShapeCarrier {
  readonly calls: string[] = [];
  /** Makes every later call fail with this error (an S3 that refuses). */
  failWith: Error | undefined;

  /**
   * `ownAccount`: the account this side acts as; `buckets` (name -> owner and objects, key -> text): S3 as
   * every account sees it, shared by the carriers of one test.
   */
  constructor(
    private readonly ownAccount: string,
    readonly buckets = new Map<string, { owner: string; objects: Map<string, string> }>(),
  ) {}

  /** The same S3 seen from another account. */
  as(account: string): MemoryShapeCarrier {
    return new MemoryShapeCarrier(account, this.buckets);
  }

  /** The vault's bucket in `region`, as its destination stack creates it. */
  createBucket(vaultAccount: string, region: string): void {
    this.buckets.set(shapeBucketName(vaultAccount, region), { owner: vaultAccount, objects: new Map() });
  }

  object(
    vaultAccount: string,
    region: string,
    sourceAccount: string,
    snapshotId: string,
  ): string | undefined {
    return this.buckets
      .get(shapeBucketName(vaultAccount, region))
      ?.objects.get(shapeObjectKey(sourceAccount, snapshotId));
  }

  putObject(vaultAccount: string, region: string, key: string, body: string): void {
    const bucket = this.buckets.get(shapeBucketName(vaultAccount, region));
    if (!bucket) throw new Error('no such bucket');
    bucket.objects.set(key, body);
  }

  async deliver(input: Parameters<ShapeCarrier['deliver']>[0]): Promise<void> {
    this.calls.push(
      `deliver ${input.vaultAccount} ${input.region} ${input.sourceAccount}/${input.snapshotId}`,
    );
    if (this.failWith) throw this.failWith;
    const bucket = this.buckets.get(shapeBucketName(input.vaultAccount, input.region));
    if (!bucket)
      throw Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' });
    if (bucket.owner !== input.vaultAccount) {
      throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    }
    bucket.objects.set(
      shapeObjectKey(input.sourceAccount, input.snapshotId),
      shapeObjectBody(input.shapeTags),
    );
  }

  async collect(input: Parameters<ShapeCarrier['collect']>[0]): Promise<string | undefined> {
    this.calls.push(`collect ${input.region} ${input.sourceAccount}/${input.snapshotId}`);
    if (this.failWith) throw this.failWith;
    return this.object(this.ownAccount, input.region, input.sourceAccount, input.snapshotId);
  }
}
