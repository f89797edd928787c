/**
 * `aurora-snapshot-tool org deploy`: the account template as a service-managed StackSet over the organizational
 * units and regions of an organization configuration, and the status of each of its stack instances.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import { actAsAccount, silenceNodeVersionWarning } from '../aws/clients.js';
import {
  createStackInstances,
  createStackSet,
  DEFAULT_OPERATION_WAIT,
  describeStackSet,
  listStackInstances,
  type OperationWait,
  type StackInstance,
  type StackSetTarget,
  updateStackSet,
  uploadTemplate,
  waitForOperation,
} from '../aws/organization.js';
import { codeBucketIn } from '../aws/publish.js';
import { accountStackParameters, loadOrgConfigFile, type OrgConfig } from '../config/organization.js';
import { ConfigError } from '../core/model/errors.js';
import { VERSION } from '../package-info.js';
import type { CommandContext } from './io.js';

/** The account template of this package (`npm run synth` writes it; the published package ships it). */
export const ACCOUNT_TEMPLATE = fileURLToPath(new URL('../../cloudformation/account.yaml', import.meta.url));

/** The key of the account template in the bucket: one per version, so an update never changes a deployed one. */
export function templateKey(prefix: string, version: string = VERSION): string {
  return `${prefix}templates/account-${version}.yaml`;
}

/** The pairs of organizational unit and region the StackSet does not cover yet, in the configuration's order. */
export function uncoveredTargets(config: OrgConfig, instances: readonly StackInstance[]): StackSetTarget[] {
  const covered = new Set(instances.map((i) => `${i.organizationalUnit ?? ''} ${i.region}`));
  const { OrganizationalUnits: units, Regions: regions } = config.Organization;
  return units.flatMap((organizationalUnit) =>
    regions
      .filter((region) => !covered.has(`${organizationalUnit} ${region}`))
      .map((region) => ({ organizationalUnit, region })),
  );
}

/**
 * The CreateStackInstances calls that cover `targets` exactly (a call deploys its units × its regions): the
 * units that lack the same regions go together.
 */
export function instanceBatches(
  targets: readonly StackSetTarget[],
): { organizationalUnits: string[]; regions: string[] }[] {
  const regionsOf = new Map<string, string[]>();
  for (const { organizationalUnit, region } of targets) {
    regionsOf.set(organizationalUnit, [...(regionsOf.get(organizationalUnit) ?? []), region]);
  }
  const batches = new Map<string, { organizationalUnits: string[]; regions: string[] }>();
  for (const [unit, regions] of regionsOf) {
    const key = regions.join(',');
    const batch = batches.get(key) ?? { organizationalUnits: [], regions };
    batch.organizationalUnits.push(unit);
    batches.set(key, batch);
  }
  return [...batches.values()];
}

/** Whether an instance failed (its stack could not be created or updated, or the account is gone). */
export function instanceFailed(instance: StackInstance): boolean {
  return (
    instance.status === 'INOPERABLE' ||
    instance.detailedStatus === 'FAILED' ||
    instance.detailedStatus === 'INOPERABLE'
  );
}

export interface OrgDeployOptions {
  readonly config: OrgConfig;
  /** The region the command calls CloudFormation and S3 in (the StackSet's home region). */
  readonly region: string;
  /** The account template's text. */
  readonly template: string;
  /** The bucket of the template; default the code bucket of `region`. */
  readonly templateBucket?: string;
  /** Wait for the last operation (the stack instances) to end before listing them. */
  readonly wait: boolean;
  readonly endpoint?: string;
  /** Act as this account on an emulator (moto's account header). */
  readonly accountId?: string;
  readonly operationWait?: OperationWait;
}

export interface OrgDeployResult {
  readonly stackSet: string;
  readonly created: boolean;
  readonly templateUrl: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** The pairs of unit and region this run deployed to (none when the StackSet covered them all). */
  readonly added: readonly StackSetTarget[];
  readonly operations: readonly { action: string; id: string; status: string; reason?: string }[];
  readonly instances: readonly StackInstance[];
}

/** Creates or updates the StackSet, covers the units × regions not covered yet, and lists the instances. */
export async function deployOrganization(options: OrgDeployOptions): Promise<OrgDeployResult> {
  const org = options.config.Organization;
  const { CallAs: callAs, StackSetName: name } = org;
  silenceNodeVersionWarning();
  const clientConfig = {
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
  const cfn = actAsAccount(new CloudFormationClient(clientConfig), options.accountId);
  const s3 = actAsAccount(
    new S3Client({ ...clientConfig, forcePathStyle: Boolean(options.endpoint) }),
    options.accountId,
  );
  const wait = options.operationWait ?? DEFAULT_OPERATION_WAIT;
  const operations: { action: string; id: string; status: string; reason?: string }[] = [];
  const follow = async (action: string, id: string | undefined, mustEnd: boolean) => {
    if (id === undefined) return;
    if (!mustEnd) {
      operations.push({ action, id, status: 'RUNNING' });
      return;
    }
    const outcome = await waitForOperation(cfn, name, id, callAs, wait);
    operations.push({ action, id, ...outcome });
  };
  try {
    const bucket = options.templateBucket ?? codeBucketIn(org.CodeBucket, options.region);
    const templateUrl = await uploadTemplate(s3, bucket, templateKey(org.CodePrefix), options.template);
    const parameters = accountStackParameters(options.config);
    const spec = {
      name,
      templateUrl,
      parameters,
      callAs,
      description: `Aurora snapshot tool ${VERSION}: roles, functions and the tag-selected job of each member account (org deploy)`,
    };
    const existing = await describeStackSet(cfn, name, callAs);
    if (existing === undefined) {
      await createStackSet(cfn, spec);
    }
    const before = existing === undefined ? [] : await listStackInstances(cfn, name, callAs);
    const added = uncoveredTargets(options.config, before);
    const batches = instanceBatches(added);
    if (existing !== undefined) {
      // A StackSet runs one operation at a time: the update (of every instance) ends before instances are added.
      await follow('UPDATE', await updateStackSet(cfn, spec), batches.length > 0 || options.wait);
    }
    for (const [i, batch] of batches.entries()) {
      const id = await createStackInstances(cfn, name, batch.organizationalUnits, batch.regions, callAs);
      await follow('CREATE', id, i < batches.length - 1 || options.wait);
    }
    const instances = await listStackInstances(cfn, name, callAs);
    return {
      stackSet: name,
      created: existing === undefined,
      templateUrl,
      parameters,
      added,
      operations,
      instances,
    };
  } finally {
    cfn.destroy();
    s3.destroy();
  }
}

/** The text of the account template: `--template`, else this package's. */
async function readTemplate(file: string | undefined): Promise<string> {
  const path = file ?? ACCOUNT_TEMPLATE;
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([
      {
        parameter: '--template',
        value: path,
        message:
          file === undefined
            ? `is missing from this package (${code}): build it with \`npm run synth\` in a checkout, or give the account template with --template`
            : code === 'ENOENT'
              ? 'file not found'
              : `cannot be read (${code})`,
      },
    ]);
  }
}

/** One line per instance: account, region, status (and its detail), and why it failed. */
export function formatInstances(instances: readonly StackInstance[]): string[] {
  if (instances.length === 0) return ['No stack instances (the organizational units have no accounts yet).'];
  return instances.map((i) => {
    const status = i.detailedStatus ? `${i.status} (${i.detailedStatus})` : i.status;
    const unit = i.organizationalUnit ? ` ${i.organizationalUnit}` : '';
    return `  ${i.account} ${i.region}${unit} ${status}${i.reason ? `: ${i.reason}` : ''}`;
  });
}

/** `org deploy --config org.yaml [--region r] [--template-bucket b] [--template f] [--wait] [--json]`. */
export async function orgDeployCommand(
  options: Record<string, unknown>,
  { io, env }: CommandContext,
): Promise<number> {
  const config = await loadOrgConfigFile(String(options.config));
  const region = typeof options.region === 'string' ? options.region : env.AWS_REGION;
  if (!region) {
    throw new ConfigError([
      {
        parameter: '--region',
        value: undefined,
        message:
          'or AWS_REGION is required: the region where the StackSet is managed (and its template uploaded)',
      },
    ]);
  }
  const template = await readTemplate(typeof options.template === 'string' ? options.template : undefined);
  const result = await deployOrganization({
    config,
    region,
    template,
    wait: options.wait === true,
    ...(typeof options.templateBucket === 'string' ? { templateBucket: options.templateBucket } : {}),
    ...(env.AWS_ENDPOINT_URL ? { endpoint: env.AWS_ENDPOINT_URL } : {}),
  });
  io.info(
    `${result.created ? 'Created' : 'Updated'} StackSet ${result.stackSet} (template ${result.templateUrl}).`,
  );
  if (result.added.length === 0) {
    io.info('Every organizational unit was already deployed to in every region.');
  } else {
    const pairs = result.added.map((t) => `${t.organizationalUnit} in ${t.region}`).join(', ');
    io.info(`Deploying to ${pairs}.`);
  }
  for (const operation of result.operations) {
    io.info(
      `Operation ${operation.action} ${operation.id}: ${operation.status}${operation.reason ? `: ${operation.reason}` : ''}`,
    );
  }
  io.info(`Stack instances (${result.instances.length}):`);
  for (const line of formatInstances(result.instances)) io.info(line);
  const failed = result.instances.filter(instanceFailed);
  const failedOperations = result.operations.filter((o) => o.status === 'FAILED' || o.status === 'STOPPED');
  for (const i of failed)
    io.error(
      `error: the stack instance of ${i.account} in ${i.region} failed${i.reason ? `: ${i.reason}` : ''}`,
    );
  for (const o of failedOperations)
    io.error(`error: operation ${o.action} ${o.id} ${o.status}${o.reason ? `: ${o.reason}` : ''}`);
  io.result(result);
  return failed.length > 0 || failedOperations.length > 0 ? 1 : 0;
}
