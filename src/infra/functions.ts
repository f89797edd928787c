/**
 * The shared Lambda functions of one side, with the original tool's names, deployed once per region and
 * used by every cluster's state machine. Their code comes from the bundles `npm run package` writes:
 * uploaded to CodeBucket for the CloudFormation templates, or as CDK assets.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IRole, Role } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Architecture,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  RuntimeFamily,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { LogLevel } from '../config/schema.js';
import { DEFAULTS } from '../config/schema.js';
import {
  DESTINATION_FUNCTIONS,
  type DestinationFunctionName,
  DRILL_FUNCTIONS,
  type DrillFunctionName,
  type FunctionName,
  LAMBDA_HANDLER,
  LAMBDA_RUNTIME,
  SOURCE_FUNCTIONS,
  type SourceFunctionName,
} from '../handlers/names.js';
import { BUNDLE_DIR } from '../package-info.js';
import { acknowledge } from './nag.js';
import { type AcceptedProps, refuseUnknownProps } from './validate.js';

/** Where the functions' code comes from. */
/**
 * Memory of every function (MB). `npm run bench` (comparison 5) measured a source pass over 10,000
 * snapshots at about 175 MB peak resident memory in Node, against 140 MB at 1,000; a pass that also lists
 * the destination region holds both sides, so 512 MB leaves room for an account with a raised snapshot
 * quota (and Lambda gives CPU in proportion to memory).
 */
export const FUNCTION_MEMORY_MB = 512;

export abstract class BundleCode {
  /**
   * `<prefix><FunctionName>.zip` in an S3 bucket of the functions' region (what
   * `aurora-snapshot-tool publish` uploads).
   */
  static fromBucket(bucket: IBucket, prefix = ''): BundleCode {
    return new (class extends BundleCode {
      bind(name: FunctionName): Code {
        return Code.fromBucket(bucket, `${prefix}${name}.zip`);
      }
    })();
  }

  /**
   * `<dir>/<FunctionName>.zip` as CDK assets (`cdk deploy` uploads them).
   * @param dir a directory of `<FunctionName>.zip` files; @default the bundles shipped in this package
   *   (`dist/lambda`, which `npm run package` builds in a checkout)
   */
  static fromDirectory(dir: string = BUNDLE_DIR): BundleCode {
    return new (class extends BundleCode {
      bind(name: FunctionName): Code {
        const zip = resolve(dir, `${name}.zip`);
        if (!existsSync(zip)) {
          throw new Error(
            `${zip} does not exist: give BundleCode.fromDirectory the directory of the function bundles ` +
              '(the published package ships them; in a checkout of aurora-snapshot-tool, `npm run package` builds them)',
          );
        }
        return Code.fromAsset(zip);
      }
    })();
  }

  abstract bind(name: FunctionName): Code;
}

export interface ToolFunctionsProps {
  /** Execution role of the functions (SourceRoles/DestinationRoles `lambdaRole`). */
  readonly role: IRole;
  /** Where the bundles are. */
  readonly code: BundleCode;
  /**
   * Log level until a run's configuration sets its own (the state machine input carries LogLevel).
   * @default ERROR
   */
  readonly logLevel?: LogLevel | string;
  /**
   * Memory of each function, in MB.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Time limit of one invocation; a pass observes once and acts, well within it.
   * @default 5 minutes
   */
  readonly timeout?: Duration;
  /**
   * How long the functions' logs are kept.
   * @default one year
   */
  readonly logRetention?: RetentionDays;
}

/** Every prop of SourceFunctions and DestinationFunctions (others are refused). */
export const TOOL_FUNCTIONS_PROPS: AcceptedProps<ToolFunctionsProps> = {
  role: true,
  code: true,
  logLevel: true,
  memorySize: true,
  timeout: true,
  logRetention: true,
};

/** The runtime written in src/handlers/names.ts, the one the bundles are built for. */
export const TOOL_RUNTIME = new Runtime(LAMBDA_RUNTIME, RuntimeFamily.NODEJS);

function createFunction(
  scope: Construct,
  name: FunctionName,
  role: IRole,
  props: ToolFunctionsProps,
): LambdaFunction {
  const logGroup = new LogGroup(scope, `${name}Logs`, {
    logGroupName: `/aws/lambda/${name}`,
    retention: props.logRetention ?? RetentionDays.ONE_YEAR,
    // Kept names: a retained group would make the next deployment of the stack fail on "already exists".
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const fn = new LambdaFunction(scope, name, {
    functionName: name,
    description: `Aurora snapshot tool: ${name}`,
    runtime: TOOL_RUNTIME,
    architecture: Architecture.ARM_64,
    handler: LAMBDA_HANDLER,
    code: props.code.bind(name),
    role,
    memorySize: props.memorySize ?? FUNCTION_MEMORY_MB,
    timeout: props.timeout ?? Duration.minutes(5),
    logGroup,
    loggingFormat: LoggingFormat.JSON,
    environment: {
      POWERTOOLS_SERVICE_NAME: 'aurora-snapshot-tool',
      POWERTOOLS_METRICS_NAMESPACE: 'AuroraSnapshotTool',
      POWERTOOLS_LOG_LEVEL: props.logLevel ?? DEFAULTS.LogLevel,
      NODE_OPTIONS: '--enable-source-maps',
    },
  });
  acknowledge(
    fn,
    'AwsSolutions-L1',
    [],
    `The runtime is the one src/handlers/names.ts fixes for the bundles (${LAMBDA_RUNTIME}, supported by Lambda); it moves together with the bundles' build target.`,
  );
  return fn;
}

/**
 * The role as the functions see it: its policies are complete (the roles construct and the cluster
 * constructs write them), and a function must not depend on the role resource, only on its ARN.
 */
function immutable(scope: Construct, role: IRole): IRole {
  return Role.fromRoleArn(scope, 'ExecutionRole', role.roleArn, { mutable: false });
}

/** One function per name, all under the group's role (made immutable once), by name. */
function createFunctions<N extends FunctionName>(
  scope: Construct,
  names: readonly N[],
  props: ToolFunctionsProps,
): Readonly<Record<N, IFunction>> {
  const role = immutable(scope, props.role);
  const byName: Partial<Record<N, IFunction>> = {};
  for (const name of names) byName[name] = createFunction(scope, name, role, props);
  return byName as Record<N, IFunction>;
}

/** The four source functions, by their role in the source state machine. */
export class SourceFunctions extends Construct {
  readonly take: IFunction;
  readonly check: IFunction;
  readonly share: IFunction;
  readonly deleteOld: IFunction;
  readonly byName: Readonly<Record<SourceFunctionName, IFunction>>;

  constructor(scope: Construct, id: string, props: ToolFunctionsProps) {
    refuseUnknownProps('SourceFunctions', props, TOOL_FUNCTIONS_PROPS);
    super(scope, id);
    this.byName = createFunctions(this, SOURCE_FUNCTIONS, props);
    this.take = this.byName.TakeSnapshotsAurora;
    this.check = this.byName.CheckSnapshotStatus;
    this.share = this.byName.ShareSnapshotsAurora;
    this.deleteOld = this.byName.DeleteOldSnapshotsAurora;
  }
}

/** The two destination functions. */
export class DestinationFunctions extends Construct {
  readonly copy: IFunction;
  readonly deleteOld: IFunction;
  readonly byName: Readonly<Record<DestinationFunctionName, IFunction>>;

  constructor(scope: Construct, id: string, props: ToolFunctionsProps) {
    refuseUnknownProps('DestinationFunctions', props, TOOL_FUNCTIONS_PROPS);
    super(scope, id);
    this.byName = createFunctions(this, DESTINATION_FUNCTIONS, props);
    this.copy = this.byName.CopySnapshotsDestAurora;
    this.deleteOld = this.byName.DeleteOldSnapshotsDestAurora;
  }
}

/** The four restore drill functions (StartRestoreDrill, CheckRestoreDrill, RecordRestoreDrill, CleanupRestoreDrill). */
export class DrillFunctions extends Construct {
  readonly byName: Readonly<Record<DrillFunctionName, IFunction>>;

  constructor(scope: Construct, id: string, props: ToolFunctionsProps) {
    refuseUnknownProps('DrillFunctions', props, TOOL_FUNCTIONS_PROPS);
    super(scope, id);
    this.byName = createFunctions(this, DRILL_FUNCTIONS, props);
  }
}
