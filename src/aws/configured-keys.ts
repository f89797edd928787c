/**
 * The KMS keys a configuration names, made key ARNs before a pass: a key named by an alias (`alias/<name>`,
 * that alias in the stack's own account, in the key's region), an alias ARN or a key id is looked up once per
 * run with KMS DescribeKey through the store of the key's region. The core then compares and passes key ARNs
 * only, as RDS names a snapshot's key; a name that finds no key there is a ConfigError naming the parameter,
 * the value, the account and the region, before anything is taken, copied or shared.
 */
import { ConfigError, type ConfigIssue } from '../core/model/errors.js';
import type { SnapshotStore } from '../core/model/ports.js';
import type { StoreForRegion } from '../core/plan/pass.js';
import type { BackupPolicy, CopyTarget, DestinationPolicy } from '../core/policy/backup-policy.js';

/** A key named by its key ARN, as RDS names a snapshot's key: nothing to look up. */
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** A key the configuration names: where it is read, the region it must be in, and the name given. */
interface NamedKey {
  readonly parameter: string;
  /** The templates' parameter, when it has another name than `parameter` says. */
  readonly templateParameter?: string | undefined;
  readonly region: string;
  readonly name: string;
  /** Snapshots under it may be shared with other accounts, whose use its key policy must allow. */
  readonly shared: boolean;
}

/** The key ARNs of `keys` (by region and name), and an issue for each name that finds no key. */
async function lookUp(
  keys: readonly NamedKey[],
  storeFor: StoreForRegion,
): Promise<{ arns: ReadonlyMap<string, string>; issues: ConfigIssue[] }> {
  const wanted = keys.filter((key) => !KEY_ARN.test(key.name));
  const distinct = [...new Map(wanted.map((key) => [`${key.region} ${key.name}`, key])).values()];
  const found = await Promise.all(
    distinct.map(async (key) => {
      const store = storeFor(key.region);
      // A store without the lookup (one written before it): the name goes to RDS as given.
      const arn = store.keyArnOf === undefined ? key.name : await store.keyArnOf(key.name);
      return [`${key.region} ${key.name}`, arn, store] as const;
    }),
  );
  const arns = new Map<string, string>();
  const missing = new Map<string, SnapshotStore>();
  for (const [at, arn, store] of found) {
    if (arn === undefined) missing.set(at, store);
    else arns.set(at, arn);
  }
  const issues: ConfigIssue[] = [];
  for (const key of wanted) {
    const store = missing.get(`${key.region} ${key.name}`);
    if (store !== undefined) issues.push(missingKeyIssue(key, await store.accountId()));
  }
  return { arns, issues };
}

function missingKeyIssue(key: NamedKey, account: string): ConfigIssue {
  const alias = /^(arn:[^:]+:kms:[^:]*:\d*:)?(alias\/.+)$/.exec(key.name)?.[2];
  const template = key.templateParameter === undefined ? '' : ` (the templates' ${key.templateParameter})`;
  const what =
    alias === undefined
      ? `names no KMS key of account ${account} in ${key.region} (KMS DescribeKey found none): name a key of that account and region by its ARN`
      : `names no KMS key in account ${account}, region ${key.region}: the alias ${alias} does not exist there (KMS DescribeKey). An alias name means that alias in the account the job runs in, in the key's region: create it there for a customer managed key of ${key.region} (aws kms create-alias --alias-name ${alias} --target-key-id <key id> --region ${key.region})${key.shared ? ', whose key policy lets the accounts the snapshots are shared with use it (docs/deployment.md#key-policies)' : ''}, or name an existing key`;
  return { parameter: `${key.parameter}${template}`, value: key.name, message: what };
}

/** The templates' parameter of destination `i` of Destinations (slot 1 is KmsKeyDestination). */
function slotKeyParameter(index: number): string {
  return index === 0 ? 'KmsKeyDestination' : `Destination${index + 1}KmsKey`;
}

/** The keys a source job names, each in its region (the one-item KmsKeyDestination: DestinationRegion, else Region). */
function sourceKeys(policy: BackupPolicy): NamedKey[] {
  const keys: NamedKey[] = [];
  if (policy.KmsKeySource !== undefined) {
    const name = policy.KmsKeySource;
    keys.push({ parameter: 'Source.KmsKeySource', region: policy.Region, name, shared: true });
  }
  if (policy.Destinations !== undefined) {
    policy.Destinations.forEach((item, i) => {
      if (item.KmsKeyDestination === undefined) return;
      keys.push({
        parameter: `Source.Destinations[${i}].KmsKeyDestination`,
        templateParameter: slotKeyParameter(i),
        region: item.Region,
        name: item.KmsKeyDestination,
        shared: item.Account !== undefined,
      });
    });
  } else if (policy.KmsKeyDestination !== undefined) {
    keys.push({
      parameter: 'Source.KmsKeyDestination',
      region: policy.DestinationRegion ?? policy.Region,
      name: policy.KmsKeyDestination,
      shared: policy.DestinationAccount !== undefined,
    });
  }
  return keys;
}

/**
 * The source policy with every key it names as a key ARN (KmsKeySource in Region, each KmsKeyDestination in
 * its destination's region). Throws ConfigError naming each key that does not exist, and KmsKeyNotAccessible
 * when KMS refuses the lookup.
 */
export async function backupPolicyWithKeyArns(
  policy: BackupPolicy,
  storeFor: StoreForRegion,
): Promise<BackupPolicy> {
  const { arns, issues } = await lookUp(sourceKeys(policy), storeFor);
  if (issues.length > 0) throw new ConfigError(issues);
  const arnOf = (region: string, name: string | undefined): string | undefined =>
    name === undefined ? undefined : (arns.get(`${region} ${name}`) ?? name);
  const item = (target: CopyTarget): CopyTarget =>
    target.KmsKeyDestination === undefined
      ? target
      : { ...target, KmsKeyDestination: arnOf(target.Region, target.KmsKeyDestination) };
  return {
    ...policy,
    ...(policy.KmsKeySource === undefined ? {} : { KmsKeySource: arnOf(policy.Region, policy.KmsKeySource) }),
    ...(policy.KmsKeyDestination === undefined
      ? {}
      : {
          KmsKeyDestination: arnOf(policy.DestinationRegion ?? policy.Region, policy.KmsKeyDestination),
        }),
    ...(policy.Destinations === undefined ? {} : { Destinations: policy.Destinations.map(item) }),
  };
}

/**
 * The destination policy with its KmsKeyDestination (a key of its Region) as a key ARN. Throws as
 * backupPolicyWithKeyArns.
 */
export async function destinationPolicyWithKeyArn(
  policy: DestinationPolicy,
  store: SnapshotStore,
): Promise<DestinationPolicy> {
  const key = policy.KmsKeyDestination;
  if (key === undefined) return policy;
  const named: NamedKey = {
    parameter: 'Destination.KmsKeyDestination',
    region: policy.Region,
    name: key,
    shared: false,
  };
  const { arns, issues } = await lookUp([named], () => store);
  if (issues.length > 0) throw new ConfigError(issues);
  return { ...policy, KmsKeyDestination: arns.get(`${policy.Region} ${key}`) ?? key };
}
