/**
 * What the organization demo reads of the deployed account stacks on the emulator: the StackSet's template and
 * parameters (the schedule each member stack has and the input it starts its job with, which moto's
 * CloudFormation does not make: it creates no Scheduler schedules), the state machine each stack created in its
 * member account and region, and the stack AWS's automatic deployment makes in an account that joins a unit
 * (which moto does not do).
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackSetCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { parse as parseYaml } from 'yaml';
import { actAsAccount, MOTO_ACCOUNT_HEADER, silenceNodeVersionWarning } from '../aws/clients.js';
import type { StateMachineDefinition } from '../state-machines/index.js';
import { evaluate } from './cfn-eval.js';

const CREDENTIALS = { accessKeyId: 'demo', secretAccessKey: 'demo' };

type Template = Record<string, unknown>;
type Resources = Readonly<Record<string, { readonly Type: string; readonly Properties?: unknown }>>;

/** The StackSet as CloudFormation keeps it: the account template and the parameters every instance gets. */
export interface AccountStackSet {
  readonly name: string;
  readonly templateBody: string;
  readonly template: Template;
  readonly parameters: Readonly<Record<string, string>>;
  readonly capabilities: readonly string[];
}

/** A member stack's schedule, resolved for its region: when it starts the job, in which zone, with what input. */
export interface MemberSchedule {
  /** The cron fields, without `cron(...)`. */
  readonly cron: string;
  readonly zone: string;
  readonly input: Record<string, unknown>;
}

export async function readStackSet(endpoint: string, region: string, name: string): Promise<AccountStackSet> {
  silenceNodeVersionWarning();
  const cfn = new CloudFormationClient({ region, endpoint, credentials: CREDENTIALS, maxAttempts: 2 });
  try {
    const { StackSet } = await cfn.send(new DescribeStackSetCommand({ StackSetName: name }));
    const templateBody = StackSet?.TemplateBody ?? '';
    return {
      name,
      templateBody,
      template: parseYaml(templateBody) as Template,
      parameters: Object.fromEntries(
        (StackSet?.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']),
      ),
      capabilities: StackSet?.Capabilities ?? ['CAPABILITY_NAMED_IAM'],
    };
  } finally {
    cfn.destroy();
  }
}

/** The account template's one schedule, as a member stack in `region` of `account` resolves it. */
export function memberSchedule(stackSet: AccountStackSet, region: string, account: string): MemberSchedule {
  const schedules = Object.entries((stackSet.template.Resources ?? {}) as Resources).filter(
    ([, r]) => r.Type === 'AWS::Scheduler::Schedule',
  );
  const [only, ...more] = schedules;
  if (only === undefined || more.length > 0) {
    throw new Error(
      `the account template of StackSet ${stackSet.name} has ${schedules.length} schedules; the demo expects one`,
    );
  }
  const properties = only[1].Properties as {
    ScheduleExpression: unknown;
    ScheduleExpressionTimezone?: unknown;
    Target: { Input: unknown };
  };
  const deployment = { region, accountId: account, parameters: stackSet.parameters };
  const resolve = (value: unknown) => evaluate(stackSet.template, value, deployment);
  const expression = String(resolve(properties.ScheduleExpression));
  const cron = /^cron\((.+)\)$/.exec(expression)?.[1];
  if (cron === undefined) throw new Error(`the member schedule ${expression} is not a cron expression`);
  return {
    cron,
    zone:
      properties.ScheduleExpressionTimezone === undefined
        ? 'UTC'
        : String(resolve(properties.ScheduleExpressionTimezone)),
    input: JSON.parse(String(resolve(properties.Target.Input))) as Record<string, unknown>,
  };
}

/** One call of Step Functions' JSON API on the emulator, as `account` in `region` (the tool has no client). */
async function stepFunctions<T>(
  endpoint: string,
  action: string,
  body: Readonly<Record<string, unknown>>,
  account: string,
  region: string,
): Promise<T> {
  const response = await fetch(`${endpoint.replace(/\/+$/, '')}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AWSStepFunctions.${action}`,
      // moto checks no signature, only the service and region the credential scope names.
      authorization: `AWS4-HMAC-SHA256 Credential=demo/20260101/${region}/states/aws4_request, SignedHeaders=host, Signature=0`,
      [MOTO_ACCOUNT_HEADER]: account,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Step Functions ${action} failed (${response.status}): ${text}`);
  return JSON.parse(text) as T;
}

/**
 * The definition of the state machine the account stack created in `account` and `region`, as deployed: its
 * tasks name the member's own functions (`arn:aws:lambda:<region>:<account>:function:TakeSnapshotsAurora`, ...).
 */
export async function deployedStateMachine(
  endpoint: string,
  account: string,
  region: string,
): Promise<{ arn: string; definition: StateMachineDefinition }> {
  const { stateMachines } = await stepFunctions<{ stateMachines?: { stateMachineArn: string }[] }>(
    endpoint,
    'ListStateMachines',
    {},
    account,
    region,
  );
  const machines = stateMachines ?? [];
  const [only] = machines;
  if (only === undefined || machines.length > 1) {
    throw new Error(
      `account ${account} has ${machines.length} state machines in ${region}; its account stack makes one`,
    );
  }
  const described = await stepFunctions<{ definition: string }>(
    endpoint,
    'DescribeStateMachine',
    { stateMachineArn: only.stateMachineArn },
    account,
    region,
  );
  return {
    arn: only.stateMachineArn,
    definition: JSON.parse(described.definition) as StateMachineDefinition,
  };
}

/**
 * The stack AWS's automatic deployment creates in an account that joins a targeted unit, in each region: the
 * StackSet's own template, parameters and capabilities (what CreateStackSet turned AutoDeployment on for).
 * moto does not deploy automatically, so the demo creates it; returns each region's stack status.
 */
export async function simulateAutomaticDeployment(
  endpoint: string,
  stackSet: AccountStackSet,
  account: string,
  regions: readonly string[],
): Promise<{ region: string; stackName: string; status: string }[]> {
  const made: { region: string; stackName: string; status: string }[] = [];
  for (const region of regions) {
    const cfn = actAsAccount(
      new CloudFormationClient({ region, endpoint, credentials: CREDENTIALS, maxAttempts: 2 }),
      account,
    );
    const stackName = `StackSet-${stackSet.name}-${account}`;
    try {
      await cfn.send(
        new CreateStackCommand({
          StackName: stackName,
          TemplateBody: stackSet.templateBody,
          Parameters: Object.entries(stackSet.parameters).map(([ParameterKey, ParameterValue]) => ({
            ParameterKey,
            ParameterValue,
          })),
          Capabilities: [...stackSet.capabilities] as never,
        }),
      );
      const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
      made.push({ region, stackName, status: stack?.StackStatus ?? 'UNKNOWN' });
    } finally {
      cfn.destroy();
    }
  }
  return made;
}
