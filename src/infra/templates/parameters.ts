/**
 * The CloudFormation parameters of the templates, with the seed's names: each has a description, the values
 * or pattern CloudFormation accepts and a constraint description, so a bad value is rejected before
 * anything is created. The configuration's parameters come from its table (src/config/parameters.ts);
 * the deployment's own (code bucket, destination slots, regions of the shared roles) are declared here.
 */
import { Aws, CfnCondition, CfnParameter, Fn, type Stack, Token } from 'aws-cdk-lib';
import {
  type Block,
  blockParameters,
  defaultIn,
  OWN_KMS_KEY_CONSTRAINT,
  OWN_KMS_KEY_PATTERN,
  type ParameterEntry,
  parameter,
  requiredIn,
  type TemplateParameterName,
  templateSpecIn,
} from '../../config/parameters.js';
import { AWS_REGIONS } from '../../core/copies/regions.js';
import { integerRangePattern } from './integer-pattern.js';

export interface ParameterSpec {
  readonly description: string;
  readonly default?: string;
  readonly allowedValues?: readonly string[];
  readonly allowedPattern?: string;
  readonly constraintDescription: string;
}

/** `pattern` (anchored with ^ and $) or the empty string. */
function optional(pattern: string): string {
  return `^(${pattern.replace(/^\^/, '').replace(/\$$/, '')})?$`;
}

/**
 * What CodeBucket may hold in place of the stack's region: Lambda reads a function's code only from a bucket
 * of the function's region, so one template (a stack set's, deployed in many regions) names one bucket per
 * region with a pattern such as `acme-code-{region}`.
 */
export const CODE_BUCKET_REGION_PLACEHOLDER = '{region}';

/** A bucket-name character, or the placeholder (which stands for a region: lowercase letters, digits, hyphens). */
const BUCKET_PART = `([a-z0-9]|\\{region\\})`;

/** The parameters of the templates that are not configuration: where the function bundles are. */
export const DEPLOYMENT_PARAMETERS = {
  CodeBucket: {
    description:
      "S3 bucket of this region holding the function bundles (<CodePrefix><FunctionName>.zip), as `aurora-snapshot-tool publish --bucket` uploads them. It may name one bucket per region: {region} (once) stands for the stack's region, e.g. acme-code-{region}.",
    // At most one placeholder: the template puts the region in place of the one it finds.
    allowedPattern: `^(?!.*\\{region\\}.*\\{region\\})${BUCKET_PART}(${BUCKET_PART}|[.-]){1,61}${BUCKET_PART}$`,
    constraintDescription:
      'must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens), where {region} may stand once for the region, such as acme-code-{region}',
  },
  CodePrefix: {
    description:
      'Key prefix of the bundles in CodeBucket, ending with a slash (the publish --prefix), or empty.',
    default: '',
    allowedPattern: "^([A-Za-z0-9!_.*'()-]+/)*$",
    constraintDescription: 'must be empty or key segments each ending with a slash, such as releases/0.1.0/',
  },
} as const satisfies Record<string, ParameterSpec>;

/** A value of the configuration as a template parameter's text. */
function asText(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value);
}

/**
 * The template parameter of a configuration parameter in the template of `block`: its default is the
 * table's (empty for an optional one); a whole number without a pattern of its own gets one from its range.
 */
export function templateParameterSpec(entry: ParameterEntry, block: Block): ParameterSpec {
  const spec = templateSpecIn(entry, block);
  if (!spec) throw new Error(`${entry.name} has no parameter in the ${block} template`);
  const value = defaultIn(entry, block);
  const isOptional = value === undefined && !requiredIn(entry, block);
  const range =
    spec.allowedPattern === undefined && spec.allowedValues === undefined && entry.type === 'integer'
      ? { min: entry.min, max: entry.max }
      : undefined;
  const rangePattern = range && integerRangePattern(range.min, range.max);
  return {
    description: spec.description,
    ...(value !== undefined ? { default: asText(value) } : isOptional ? { default: '' } : {}),
    ...(spec.allowedValues ? { allowedValues: spec.allowedValues } : {}),
    ...(spec.allowedPattern ? { allowedPattern: spec.allowedPattern } : {}),
    ...(rangePattern ? { allowedPattern: isOptional ? optional(rangePattern) : rangePattern } : {}),
    constraintDescription:
      spec.constraintDescription ??
      `must be ${isOptional ? 'empty or ' : ''}a whole number of ${entry.unit} from ${range?.min} to ${range?.max}`,
  };
}

/** Adds the template parameters of `block`, in the block's order, by name. */
export function addBlockParameters<B extends Block>(
  stack: Stack,
  block: B,
): Record<TemplateParameterName<B>, CfnParameter> {
  const added: Record<string, CfnParameter> = {};
  for (const entry of blockParameters(block)) {
    if (templateSpecIn(entry, block)) {
      added[entry.name] = addParameterSpec(stack, entry.name, templateParameterSpec(entry, block));
    }
  }
  return added as Record<TemplateParameterName<B>, CfnParameter>;
}

/** Adds one configuration parameter of `block`'s template (LogLevel in the functions' stacks). */
export function addBlockParameter(
  stack: Stack,
  block: Block,
  name: Parameters<typeof parameter>[0],
): CfnParameter {
  return addParameterSpec(stack, name, templateParameterSpec(parameter(name), block));
}

/**
 * The bucket CodeBucket names in the stack's region: the value with its `{region}` replaced by the region, or,
 * with no placeholder, the value itself (the same expression as before the placeholder, so a stack made
 * before it updates without touching its functions). CloudFormation's Fn::Join takes no function as its
 * delimiter, so the region goes between the two parts of the value around the placeholder, under a condition.
 */
export function codeBucketIn(stack: Stack, codeBucket: CfnParameter): string {
  const bucket = codeBucket.valueAsString;
  const namesItsRegion = new CfnCondition(stack, 'CodeBucketNamesItsRegion', {
    expression: Fn.conditionNot(
      Fn.conditionEquals(bucket, Fn.join('', Fn.split(CODE_BUCKET_REGION_PLACEHOLDER, bucket))),
    ),
  });
  // The placeholder appended, so the value always splits in two parts or more, placeholder or not.
  const parts = Fn.split(
    CODE_BUCKET_REGION_PLACEHOLDER,
    Fn.join('', [bucket, CODE_BUCKET_REGION_PLACEHOLDER]),
  );
  return Token.asString(
    Fn.conditionIf(
      namesItsRegion.logicalId,
      Fn.join('', [Fn.select(0, parts), Aws.REGION, Fn.select(1, parts)]),
      bucket,
    ),
  );
}

/** Adds a deployment parameter. */
export function addDeploymentParameter(stack: Stack, name: keyof typeof DEPLOYMENT_PARAMETERS): CfnParameter {
  return addParameterSpec(stack, name, DEPLOYMENT_PARAMETERS[name]);
}

/**
 * AWS_REGIONS as one regular-expression alternation, regions that differ only in their number grouped
 * (`us-west-[12]`), so the pattern stays short.
 */
const REGION_ALTERNATIVES = (() => {
  const numbers = new Map<string, string[]>();
  for (const region of AWS_REGIONS) {
    const [, area = region, number = ''] = /^(.*-)(\d+)$/.exec(region) ?? [];
    numbers.set(area, [...(numbers.get(area) ?? []), number]);
  }
  return [...numbers]
    .map(([area, list]) =>
      list.length === 1 || list.some((n) => n.length !== 1)
        ? list.map((n) => `${area}${n}`).join('|')
        : `${area}[${list.join('')}]`,
    )
    .join('|');
})();

/** AWS_REGIONS, comma-separated, without spaces: the regions a source role may write in besides its own. */
const REGION_LIST = `^((${REGION_ALTERNATIVES})(,(${REGION_ALTERNATIVES}))*)?$`;

/** The source-roles parameter that confines the source functions to their destination regions. */
export const DESTINATION_REGIONS_PARAMETER: ParameterSpec = {
  description:
    'Regions the source functions copy snapshots to, comma-separated: every destination region (DestinationRegion, Destination2Region...) of every source-cluster stack of this account and region. When set, the functions may write snapshots and use KMS keys only in this region and these. Empty: any region (as before this parameter).',
  default: '',
  allowedPattern: REGION_LIST,
  constraintDescription:
    'must be empty or AWS region names separated by commas without spaces, such as us-west-2,eu-central-1',
};

/** Account ids, comma-separated, without spaces, or empty. */
const ACCOUNT_LIST = '^([0-9]{12}(,[0-9]{12})*)?$';

/** The source-roles parameter that lets the source functions leave shapes in the vaults' buckets. */
export const DESTINATION_ACCOUNTS_PARAMETER: ParameterSpec = {
  description:
    "Accounts the source functions share snapshots with, comma-separated: every DestinationAccount (Destination2Account...) of every source-cluster stack of this account and region. When set, the functions may leave the shape of each snapshot they share in that account's shapes bucket (aurora-snapshot-tool-shapes-<account>-<region>, which a vault's destination-lambdas stack makes with SourceAccounts), so the vault's copies record it. Empty: no shape reaches another account (as before this parameter).",
  default: '',
  allowedPattern: ACCOUNT_LIST,
  constraintDescription:
    'must be empty or 12-digit account ids separated by commas without spaces, such as 999988887777',
};

/** The destination-lambdas parameter that makes the vault's shapes bucket. */
export const SOURCE_ACCOUNTS_PARAMETER: ParameterSpec = {
  description:
    "Accounts that share snapshots with this one, comma-separated: every SourceAccount of this account and region's destination-cluster stacks. When set, the stack makes the shapes bucket aurora-snapshot-tool-shapes-<this account>-<region>, where these accounts may only put the shape of each snapshot they share (under shapes/<their account>/), so the copies here record it; the functions may only read it. Empty: no bucket (as before this parameter).",
  default: '',
  allowedPattern: ACCOUNT_LIST,
  constraintDescription:
    'must be empty or 12-digit account ids separated by commas without spaces, such as 111122223333',
};

/** The parameter of account.yaml and destination-lambdas.yaml that makes the status reader role. */
export const STATUS_ACCOUNT_PARAMETER: ParameterSpec = {
  description:
    'Account that runs aurora-snapshot-tool status --organization (the management account or a delegated administrator). When set, the stack makes the read-only role AuroraSnapshotTool-StatusReader-<region>, which that account may assume to read the clusters, the snapshots and the runs of the tool here; it can change nothing. Empty: no role (as before this parameter).',
  default: '',
  allowedPattern: '^([0-9]{12})?$',
  constraintDescription: 'must be empty or a 12-digit AWS account id',
};

/** The parameters of destination slot `n` (2 and up; slot 1 is DestinationRegion, DestinationAccount, KmsKeyDestination). */
export function destinationSlotParameters(n: number): Record<'Region' | 'Account' | 'KmsKey', ParameterSpec> {
  const slot = `Destination${n}`;
  return {
    Region: {
      // Which parameters are destination 1 is said once, on the first slot, not repeated on every slot.
      description: `Destination ${n}${n === 2 ? ' (destination 1: DestinationRegion, DestinationAccount, KmsKeyDestination)' : ''}: region of its copies; this region with ${slot}Account is a share in place. Empty for none.`,
      default: '',
      // A pattern rather than AllowedValues: four lists of every region would not fit in a TemplateBody.
      allowedPattern: `^(${REGION_ALTERNATIVES})?$`,
      constraintDescription: 'must be empty or an AWS region name such as us-west-2',
    },
    Account: {
      description: `Destination ${n}: account the snapshots or copies in ${slot}Region are shared with. Empty for none.`,
      default: '',
      allowedPattern: '^([0-9]{12})?$',
      constraintDescription: 'must be empty or a 12-digit AWS account id',
    },
    KmsKey: {
      description: `Destination ${n}: KMS key of ${slot}Region for encrypted copies: its ARN, or alias/<name> (that alias in this account there). Empty (or None) for none.`,
      default: '',
      allowedPattern: OWN_KMS_KEY_PATTERN,
      constraintDescription: OWN_KMS_KEY_CONSTRAINT,
    },
  };
}

/** Adds a parameter from its spec, under `logicalName`. */
export function addParameterSpec(stack: Stack, logicalName: string, p: ParameterSpec): CfnParameter {
  return new CfnParameter(stack, logicalName, {
    type: 'String',
    description: p.description,
    constraintDescription: p.constraintDescription,
    ...(p.default !== undefined ? { default: p.default } : {}),
    ...(p.allowedValues ? { allowedValues: [...p.allowedValues] } : {}),
    ...(p.allowedPattern ? { allowedPattern: p.allowedPattern } : {}),
  });
}

/**
 * True when an optional parameter is set: neither empty nor the seed's `None`. The `None` test is left out
 * where the parameter's constraint already refuses that value (an account id, a region), as it could
 * never be true and every byte counts against CloudFormation's inline template limit.
 */
export function isSet(stack: Stack, id: string, parameter: CfnParameter): CfnCondition {
  const notEmpty = Fn.conditionNot(Fn.conditionEquals(parameter.valueAsString, ''));
  return new CfnCondition(stack, id, {
    expression: accepts(parameter, 'None')
      ? Fn.conditionAnd(notEmpty, Fn.conditionNot(Fn.conditionEquals(parameter.valueAsString, 'None')))
      : notEmpty,
  });
}

/** Whether CloudFormation lets `value` through the parameter's AllowedValues or AllowedPattern. */
function accepts(parameter: CfnParameter, value: string): boolean {
  if (parameter.allowedValues) return parameter.allowedValues.includes(value);
  return parameter.allowedPattern === undefined || new RegExp(parameter.allowedPattern).test(value);
}

/** The restore-role template's parameters: who may assume the role, and whether with MFA. */
export const RESTORE_ROLE_PARAMETERS = {
  TrustedPrincipal: {
    description:
      'Who may assume the restoring role: an account id (its IAM policies then decide who, e.g. a break-glass group), or the ARN of an IAM role or user (a pipeline, a person).',
    allowedPattern:
      '^([0-9]{12}|arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/[A-Za-z0-9+=,.@_/-]+|user/[A-Za-z0-9+=,.@_/-]+))$',
    constraintDescription:
      'must be a 12-digit account id, or an IAM ARN such as arn:aws:iam::123456789012:role/dr-operators',
  },
  RequireMfa: {
    description:
      'TRUE: the role is assumed only from a session signed in with MFA (aws:MultiFactorAuthPresent). FALSE for a pipeline, or for people who sign in through IAM Identity Center or another federation, whose sessions may not carry that key even when they used MFA.',
    default: 'TRUE',
    allowedValues: ['TRUE', 'FALSE'],
    constraintDescription: 'must be TRUE or FALSE',
  },
} as const satisfies Record<string, ParameterSpec>;
