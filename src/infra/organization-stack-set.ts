/**
 * OrganizationStackSet: the StackSet `org deploy` makes, for those who deploy the management (or a delegated
 * administrator) account with the CDK. The account template (from a URL: it is too large to be inline) over
 * the organizational units and regions of an organization configuration, with service-managed permissions and
 * automatic deployment to accounts that join the units; each stack kept when its account leaves.
 */
import { Annotations, CfnStackSet } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { accountStackParameters, type OrgConfig, parseOrgConfig } from '../config/organization.js';
import { ACCOUNT_TEMPLATE_CAPABILITIES, STACK_SET_ROLLOUT } from '../core/fleet/index.js';

export interface OrganizationStackSetProps {
  /**
   * The organization configuration: the `Organization` and `Source` blocks of org.yaml (as parsed YAML, or
   * already parsed by `parseOrgConfig`). Checked here: a bad value fails the synthesis, naming the parameter.
   */
  readonly config: unknown;
  /** An S3 URL of cloudformation/account.yaml (of this package's version), in a bucket CloudFormation can read. */
  readonly templateUrl: string;
}

export class OrganizationStackSet extends Construct {
  readonly stackSet: CfnStackSet;
  /** The account template's parameters the StackSet passes to every member. */
  readonly parameters: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: OrganizationStackSetProps) {
    super(scope, id);
    const config: OrgConfig = isParsed(props.config) ? props.config : parseOrgConfig(props.config);
    const org = config.Organization;
    this.parameters = accountStackParameters(config);
    this.stackSet = new CfnStackSet(this, 'StackSet', {
      stackSetName: org.StackSetName,
      description: 'Aurora snapshot tool: roles, functions and the tag-selected job of each member account',
      permissionModel: 'SERVICE_MANAGED',
      callAs: org.CallAs,
      // Kept on removal: an account leaving a unit keeps its backup job; its owners delete it themselves.
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: true },
      capabilities: [...ACCOUNT_TEMPLATE_CAPABILITIES],
      templateUrl: props.templateUrl,
      parameters: Object.entries(this.parameters).map(([parameterKey, parameterValue]) => ({
        parameterKey,
        parameterValue,
      })),
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: [...org.OrganizationalUnits] },
          regions: [...org.Regions],
        },
      ],
      // Stack set operations of one StackSet run one at a time; a managed execution queues them instead of failing.
      managedExecution: { Active: true },
      operationPreferences: { ...STACK_SET_ROLLOUT },
    });
    if (org.CallAs === 'SELF') {
      Annotations.of(this).addInfo(
        'Deploy this stack in the management account (CallAs SELF), or set CallAs: DELEGATED_ADMIN in a delegated administrator account.',
      );
    }
  }
}

function isParsed(config: unknown): config is OrgConfig {
  return typeof config === 'object' && config !== null && 'sources' in config && 'Organization' in config;
}
