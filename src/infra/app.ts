/**
 * The CDK way to deploy: from one configuration file (the CLI's), a source stack in Source.Region and a
 * destination stack in Destination.Region, each with its roles, its functions from the local bundles
 * (CDK assets) and its cluster job. infra-app/ is the runnable example.
 */
import { type App, Stack, type StackProps } from 'aws-cdk-lib';
import { type Block, blockParameters, propName } from '../config/parameters.js';
import type { Config, DestinationConfig, SourceConfig } from '../config/schema.js';
import { copyRegionsOf, shareAccountsOf } from '../core/copies/destinations.js';
import { ConfigError } from '../core/model/errors.js';
import { DestinationCluster, type DestinationClusterSettings } from './destination-cluster.js';
import type { SourceDestinationProps } from './destination-props.js';
import { BundleCode, DestinationFunctions, SourceFunctions } from './functions.js';
import { RestoreDrill, type RestoreDrillSettings } from './restore-drill.js';
import { RestoreRole, type RestoreRoleProps } from './restore-role.js';
import { DestinationRoles, SourceRoles } from './roles.js';
import { ShapesBucket } from './shapes-bucket.js';
import { SourceCluster, type SourceClusterSettings } from './source-cluster.js';

export interface ToolStacksOptions {
  /** Directory of the function bundles. @default the bundles shipped in this package (dist/lambda) */
  readonly bundleDir?: string;
  /** Account to deploy to. @default the CLI's current account (env-agnostic when unknown) */
  readonly account?: string;
  /** Prefix of the stack names. @default AuroraSnapshotTool */
  readonly stackPrefix?: string;
  /** More stack props (tags, termination protection, synthesizer...). */
  readonly stackProps?: StackProps;
  /**
   * The restoring role (`aurora-snapshot-tool restore`), in a stack of its own in the recovery region
   * (Recovery.Region, else the drill's, else the destination's region): who may assume it, and whether with MFA.
   * @default no restoring role
   */
  readonly restoreRole?: RestoreRoleProps;
}

export interface ToolStacks {
  readonly source?: Stack;
  readonly destination?: Stack;
  /** The restore drill, in RestoreDrill.Region, with its own roles and functions. */
  readonly drill?: Stack;
  /** The restoring role, when `restoreRole` is given. */
  readonly restoreRole?: Stack;
}

/**
 * The construct props of a block: every parameter of the table that applies to it and is set, under its
 * prop name (`propName`), so a parameter added to the table reaches the construct without another list
 * here. Source.Destinations' items take the props' camelCased field names.
 */
function blockSettings(block: Block, values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const entry of blockParameters(block)) {
    const value = values[entry.name];
    if (entry.prop === false || value === undefined) continue;
    settings[propName(entry.name)] =
      entry.type === 'destinations' ? destinationProps(value as SourceConfig['Destinations']) : value;
  }
  return settings;
}

function destinationProps(items: SourceConfig['Destinations']): SourceDestinationProps[] | undefined {
  return items?.map((d) => ({
    region: d.Region,
    ...(d.Account !== undefined ? { account: d.Account } : {}),
    ...(d.KmsKeyDestination !== undefined ? { kmsKeyDestination: d.KmsKeyDestination } : {}),
  }));
}

/** The construct props of a Source block (the configuration's names, camelCased). */
export function sourceSettings(source: SourceConfig): SourceClusterSettings {
  return blockSettings('source', source) as unknown as SourceClusterSettings;
}

/** The construct props of a Destination block. */
export function destinationSettings(destination: DestinationConfig): DestinationClusterSettings {
  return blockSettings('destination', destination) as unknown as DestinationClusterSettings;
}

/** Adds the stacks a configuration needs to `app`. */
export function addToolStacks(app: App, config: Config, options: ToolStacksOptions = {}): ToolStacks {
  const prefix = options.stackPrefix ?? 'AuroraSnapshotTool';
  const code = BundleCode.fromDirectory(options.bundleDir);
  const env = (region: string) => ({ region, ...(options.account ? { account: options.account } : {}) });
  let source: Stack | undefined;
  let destination: Stack | undefined;
  if (config.Source) {
    source = new Stack(app, `${prefix}-Source`, {
      ...options.stackProps,
      description: `Aurora snapshot tool, source side in ${config.Source.Region}: roles, functions and the job of ${config.Source.ClusterNamePattern}`,
      env: env(config.Source.Region),
    });
    // One configuration, one cluster job: the roles may write in its destination regions and no other.
    const roles = new SourceRoles(source, 'Roles', {
      destinationRegions: copyRegionsOf(config.Source),
      destinationAccounts: shareAccountsOf(config.Source),
    });
    const functions = new SourceFunctions(source, 'Functions', {
      role: roles.lambdaRole,
      code,
      logLevel: config.Source.LogLevel,
    });
    new SourceCluster(source, 'Cluster', { roles, functions, ...sourceSettings(config.Source) });
  }
  if (config.Destination) {
    destination = new Stack(app, `${prefix}-Destination`, {
      ...options.stackProps,
      description: `Aurora snapshot tool, destination side in ${config.Destination.Region}: roles, functions and the job of ${config.Destination.SnapshotPattern}`,
      env: env(config.Destination.Region),
    });
    const organizationId = config.Destination.SourceOrganizationId;
    const roles = new DestinationRoles(
      destination,
      'Roles',
      organizationId ? { sourceOrganizationId: organizationId } : {},
    );
    const functions = new DestinationFunctions(destination, 'Functions', {
      role: roles.lambdaRole,
      code,
      logLevel: config.Destination.LogLevel,
    });
    if (organizationId) {
      new ShapesBucket(destination, 'Shapes', { organizationId, reader: roles.lambdaRole });
    } else if (config.Destination.SourceAccount) {
      new ShapesBucket(destination, 'Shapes', {
        sourceAccounts: [config.Destination.SourceAccount],
        reader: roles.lambdaRole,
      });
    }
    new DestinationCluster(destination, 'Cluster', {
      roles,
      functions,
      ...destinationSettings(config.Destination),
    });
  }
  let drill: Stack | undefined;
  if (config.RestoreDrill?.Region) {
    const block = config.RestoreDrill;
    const region = block.Region as string;
    drill = new Stack(app, `${prefix}-RestoreDrill`, {
      ...options.stackProps,
      description: `Aurora snapshot tool, restore drill in ${region}: its roles, functions and state machine for ${block.SnapshotPattern}`,
      env: env(region),
    });
    new RestoreDrill(drill, 'Drill', { code, ...restoreDrillSettings(block) });
  }
  let restoreRole: Stack | undefined;
  if (options.restoreRole) {
    const region =
      config.Recovery?.Region ??
      config.RestoreDrill?.Region ??
      config.Destination?.Region ??
      config.Source?.DestinationRegion;
    if (region === undefined) {
      throw new ConfigError([
        {
          parameter: 'Recovery.Region',
          message:
            'is required for the restoring role: the configuration names no recovery region (Recovery.Region, RestoreDrill.Region, Destination.Region or Source.DestinationRegion)',
        },
      ]);
    }
    restoreRole = new Stack(app, `${prefix}-RestoreRole`, {
      ...options.stackProps,
      description: `Aurora snapshot tool, restoring role in ${region}: aurora-snapshot-tool restore, no delete, share or modify`,
      env: env(region),
    });
    new RestoreRole(restoreRole, 'Restore', options.restoreRole);
  }
  return {
    ...(source ? { source } : {}),
    ...(destination ? { destination } : {}),
    ...(drill ? { drill } : {}),
    ...(restoreRole ? { restoreRole } : {}),
  };
}

/** The construct props of a RestoreDrill block. */
export function restoreDrillSettings(block: NonNullable<Config['RestoreDrill']>): RestoreDrillSettings {
  return blockSettings('drill', block) as unknown as RestoreDrillSettings;
}
