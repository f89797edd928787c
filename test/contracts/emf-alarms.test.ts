// The contract between the functions and the alarms, checked on what CloudWatch receives: the built function
// bundles run behind the state machines of the templates in cloudformation/ (definition, schedule input and
// function environment as CloudFormation resolves them for a deployment) against moto, and every alarm of every
// template on the tool's namespace must watch a metric (namespace, name, exact dimension names and values) that
// its own stack's runs printed as EMF, and that no other stack's runs printed.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { bundle } from '../../scripts/package.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { METRICS_NAMESPACE } from '../../src/core/policy/recovery-point.js';
import {
  ALL_FUNCTIONS,
  DESTINATION_FUNCTIONS,
  type FunctionName,
  LAMBDA_HANDLER,
  SOURCE_FUNCTIONS,
} from '../../src/handlers/names.js';
import { EXPORTS } from '../../src/infra/templates/index.js';
import type { StateMachineDefinition } from '../../src/state-machines/asl.js';
import { type Deployment, evaluate, resourceExists } from '../infra/support/cfn-eval.js';
import { type ExecutionOutcome, execute, type LambdaHandler } from '../state-machine/execute.js';
import { captureStdout, type EmfDocument } from '../state-machine/harness.js';
import { createEstate } from '../support/estate.js';
import { MOTO_DEFAULT_ACCOUNT, type MotoServer, startMoto } from '../support/moto.js';

type Json = Record<string, unknown>;
type Template = { Resources: Record<string, { Type: string; Properties?: Json; Condition?: string }> } & Json;

const CLOUDFORMATION_DIR = join(import.meta.dirname, '..', '..', 'cloudformation');
const SOURCE_REGION = 'eu-west-1';
const COPY_REGION = 'eu-central-1';
/** The account that shares its snapshots with the vault stack's account (moto's default). */
const SHARING_ACCOUNT = '111122223333';

/**
 * The stacks deployed, in the order their state machines run: two source stacks with one ClusterNamePattern
 * told apart by ClusterTags, three destination stacks with one SnapshotPattern (the third copies what another
 * account shares), and a restore drill of the copies.
 */
const STACKS: readonly {
  stackName: string;
  template: string;
  region: string;
  parameters: Record<string, string>;
}[] = [
  ...['a', 'b'].map((team) => ({
    stackName: `orders-team-${team}`,
    template: 'source-cluster',
    region: SOURCE_REGION,
    parameters: {
      ClusterNamePattern: '^orders-',
      ClusterTags: `team=${team}`,
      ShareSnapshots: 'TRUE',
      DestinationRegion: COPY_REGION,
      // Team b's DR copies go to another account too: its execution follows the copy (CheckSnapshotStatus)
      // and shares it once available; team a's only copies, and does not wait.
      ...(team === 'b' ? { DestinationAccount: '444455556666' } : {}),
    },
  })),
  ...['orders-dr', 'orders-dr-monthly'].map((stackName) => ({
    stackName,
    template: 'destination-cluster',
    region: COPY_REGION,
    parameters: {
      SnapshotPattern: '^orders-',
      SourceRegion: SOURCE_REGION,
      ...(stackName.endsWith('monthly') ? { KeepMonthly: '12' } : {}),
    },
  })),
  {
    stackName: 'orders-vault',
    template: 'destination-cluster',
    region: COPY_REGION,
    parameters: { SnapshotPattern: '^orders-', SourceAccount: SHARING_ACCOUNT },
  },
  {
    stackName: 'orders-drill',
    template: 'restore-drill',
    region: COPY_REGION,
    parameters: { CodeBucket: 'snapshot-tool-code', SnapshotPattern: '^orders-' },
  },
];

interface Watched {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

interface Alarm {
  readonly stackName: string;
  readonly logicalId: string;
  readonly watched: readonly Watched[];
}

let moto: MotoServer;
let workDir: string;
const templates = new Map<string, Template>();
const outcomes = new Map<string, ExecutionOutcome>();
/** The EMF documents each stack's execution printed. */
const printed = new Map<string, EmfDocument[]>();
const alarms: Alarm[] = [];
/** The functions the executions invoked. */
const invoked = new Set<FunctionName>();
/** `typeof` of what each bundle's index.mjs exports under the name the templates' Handler gives. */
const exportedTypes = new Map<FunctionName, string>();
const savedEnv = { ...process.env };

async function loadTemplates(): Promise<void> {
  for (const file of (await readdir(CLOUDFORMATION_DIR)).filter((f) => f.endsWith('.yaml'))) {
    const text = await readFile(join(CLOUDFORMATION_DIR, file), 'utf8');
    templates.set(file.replace(/\.yaml$/, ''), parseYaml(text) as Template);
  }
}

function template(name: string): Template {
  const found = templates.get(name);
  if (!found) throw new Error(`no template ${name} in cloudformation/`);
  return found;
}

function resourcesOf(t: Template, type: string): [string, Json][] {
  return Object.entries(t.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}

/** The Lambda environment each function gets from its template, by function name. */
function functionEnvironments(): Map<string, Record<string, string>> {
  const environments = new Map<string, Record<string, string>>();
  for (const t of templates.values()) {
    for (const [, properties] of resourcesOf(t, 'AWS::Lambda::Function')) {
      const environment = evaluate(t, properties.Environment ?? {}, { region: SOURCE_REGION }) as Json;
      environments.set(
        String(properties.FunctionName),
        (environment.Variables ?? {}) as Record<string, string>,
      );
    }
  }
  return environments;
}

async function loadBundles(): Promise<Map<FunctionName, LambdaHandler>> {
  const environments = functionEnvironments();
  const handlers = new Map<FunctionName, LambdaHandler>();
  for (const name of ALL_FUNCTIONS) {
    const { code } = await bundle(name);
    const file = join(workDir, name, 'index.mjs');
    await mkdir(join(workDir, name), { recursive: true });
    await writeFile(file, code);
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    // Lambda calls index.<export> of the zip, as the templates name it (index.handler)
    const exported = module[LAMBDA_HANDLER.split('.')[1] ?? ''];
    exportedTypes.set(name, typeof exported);
    if (typeof exported !== 'function') continue;
    const handler = exported as LambdaHandler;
    const environment = environments.get(name);
    if (!environment) throw new Error(`no template deploys ${name}`);
    // Each invocation sees the environment its template gives the function, as in Lambda.
    handlers.set(name, async (event) => {
      invoked.add(name);
      const before = { ...process.env };
      Object.assign(process.env, environment);
      try {
        return await handler(event);
      } finally {
        for (const key of Object.keys(environment)) {
          if (before[key] === undefined) delete process.env[key];
          else process.env[key] = before[key];
        }
      }
    });
  }
  return handlers;
}

/** The ARN a function of the shared stacks has in `region` (what their exports give the cluster stacks). */
const functionArn = (region: string, name: FunctionName) =>
  `arn:aws:lambda:${region}:${MOTO_DEFAULT_ACCOUNT}:function:${name}`;

function deploymentOf(stack: (typeof STACKS)[number]): Deployment {
  const imports: Record<string, string> = {};
  for (const name of [...SOURCE_FUNCTIONS, ...DESTINATION_FUNCTIONS]) {
    imports[EXPORTS.function(name)] = functionArn(stack.region, name);
  }
  for (const side of ['Source', 'Destination'] as const) {
    for (const role of ['LambdaRole', 'StateMachineRole', 'EventsRole'] as const) {
      imports[EXPORTS.role(side, role)] = `arn:aws:iam::${MOTO_DEFAULT_ACCOUNT}:role/${side}${role}`;
    }
  }
  return {
    region: stack.region,
    accountId: MOTO_DEFAULT_ACCOUNT,
    stackName: stack.stackName,
    parameters: stack.parameters,
    imports,
  };
}

/**
 * The functions as the state machine names them: an imported ARN (cluster stacks) or a function of the
 * stack itself (`<Logical.Arn>` in cfn-eval, the restore drill), each the bundle of its FunctionName.
 */
function functionsOf(
  t: Template,
  deployment: Deployment,
  bundles: Map<FunctionName, LambdaHandler>,
): Record<string, LambdaHandler> {
  const functions: Record<string, LambdaHandler> = {};
  for (const [name, handler] of bundles) functions[functionArn(deployment.region ?? '', name)] = handler;
  for (const [id, properties] of resourcesOf(t, 'AWS::Lambda::Function')) {
    const handler = bundles.get(properties.FunctionName as FunctionName);
    if (handler) functions[`<${id}.Arn>`] = handler;
  }
  return functions;
}

/** What the stack's schedule starts: its state machine's definition and the input the schedule gives it. */
function scheduledRun(t: Template, deployment: Deployment) {
  const [[, machine]] = resourcesOf(t, 'AWS::StepFunctions::StateMachine') as [[string, Json]];
  const [[, schedule]] = resourcesOf(t, 'AWS::Scheduler::Schedule') as [[string, Json]];
  const definition = JSON.parse(
    evaluate(t, machine.DefinitionString, deployment) as string,
  ) as StateMachineDefinition;
  const input = JSON.parse(evaluate(t, (schedule.Target as Json).Input, deployment) as string) as unknown;
  return { definition, input };
}

interface MetricQuery {
  readonly MetricStat?: { readonly Metric: { Namespace: string; MetricName: string; Dimensions?: Dim[] } };
}
interface Dim {
  readonly Name: string;
  readonly Value: string;
}

const dimensionsOf = (dims: readonly Dim[] | undefined) =>
  Object.fromEntries((dims ?? []).map((d) => [d.Name, d.Value]));

/** Every metric an alarm reads: its own (plain alarm) or each MetricStat of its metric math. */
function watchedBy(properties: Json): Watched[] {
  if (properties.MetricName !== undefined) {
    return [
      {
        namespace: String(properties.Namespace),
        name: String(properties.MetricName),
        dimensions: dimensionsOf(properties.Dimensions as Dim[] | undefined),
      },
    ];
  }
  return ((properties.Metrics ?? []) as MetricQuery[]).flatMap((query) =>
    query.MetricStat
      ? [
          {
            namespace: query.MetricStat.Metric.Namespace,
            name: query.MetricStat.Metric.MetricName,
            dimensions: dimensionsOf(query.MetricStat.Metric.Dimensions),
          },
        ]
      : [],
  );
}

/** The metrics (namespace, name, dimension values by name) a set of EMF documents gives CloudWatch. */
function metricsIn(docs: readonly EmfDocument[]): Watched[] {
  return docs.flatMap((doc) =>
    doc._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Metrics.filter((metric) => typeof doc[metric.Name] === 'number').flatMap((metric) =>
        directive.Dimensions.map((set) => ({
          namespace: directive.Namespace,
          name: metric.Name,
          dimensions: Object.fromEntries(set.map((key) => [key, String(doc[key])])),
        })),
      ),
    ),
  );
}

const key = (m: Watched) =>
  `${m.namespace} ${m.name} {${Object.entries(m.dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}}`;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'emf-contract-'));
  // As in Lambda: Powertools prints metrics unless told not to, and no development mode.
  delete process.env.POWERTOOLS_DEV;
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  await loadTemplates();
  const bundles = await loadBundles();
  moto = await startMoto();
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  const estate = createEstate({ endpoint: moto.endpoint });
  await estate.createCluster(SOURCE_REGION, 'orders-a', { tags: { team: 'a' } });
  await estate.createCluster(SOURCE_REGION, 'orders-b', { tags: { team: 'b' } });
  const sharing = estate.as(SHARING_ACCOUNT);
  await sharing.createCluster(COPY_REGION, 'orders-c');
  const at = new Date(Date.now() - 3_600_000);
  const shared = await sharing.createOriginalToolSnapshot(COPY_REGION, 'orders-c', at);
  await sharing.shareSnapshot(COPY_REGION, shared.id, MOTO_DEFAULT_ACCOUNT);
  // moto cannot copy another account's snapshot: the vault's copy of it is there already, as an earlier
  // run of CopySnapshotsDestAurora leaves it, so this run plans no copy and publishes its age.
  await estate.createCluster(COPY_REGION, 'orders-c');
  await estate.createSnapshot(COPY_REGION, {
    clusterId: 'orders-c',
    snapshotId: shared.id,
    tags: {
      [TAG.CopiedBy]: TOOL_TAG_VALUE,
      [TAG.PointInTime]: at.toISOString(),
      [TAG.SourceCluster]: 'orders-c',
      [TAG.SourceAccount]: SHARING_ACCOUNT,
      [TAG.SourceSnapshot]: shared.arn,
    },
  });

  for (const stack of STACKS) {
    const t = template(stack.template);
    const deployment = deploymentOf(stack);
    const { definition, input } = scheduledRun(t, deployment);
    const output = captureStdout();
    try {
      outcomes.set(stack.stackName, await execute(definition, input, functionsOf(t, deployment, bundles)));
    } finally {
      output.restore();
    }
    printed.set(stack.stackName, output.emf());
    for (const [logicalId, properties] of resourcesOf(t, 'AWS::CloudWatch::Alarm')) {
      if (!resourceExists(t, logicalId, deployment)) continue;
      alarms.push({
        stackName: stack.stackName,
        logicalId,
        watched: watchedBy(evaluate(t, properties, deployment) as Json),
      });
    }
  }
}, 240_000);

afterAll(async () => {
  await moto?.stop();
  for (const name of ['AWS_ENDPOINT_URL', 'POWERTOOLS_DEV', 'POWERTOOLS_METRICS_DISABLED']) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the alarms of the templates and the EMF the built functions print', () => {
  it('every bundle exports the handler the templates name (index.handler), as Lambda loads it', () => {
    // Assess
    expect(LAMBDA_HANDLER.split('.')[0]).toBe('index');
    expect(Object.fromEntries(exportedTypes)).toEqual(
      Object.fromEntries(ALL_FUNCTIONS.map((name) => [name, 'function'])),
    );
  });

  it("every stack's scheduled execution succeeds on moto, invoking every function, and each prints EMF", () => {
    // Assess: a failed run would print less and prove nothing
    for (const stack of STACKS) {
      const outcome = outcomes.get(stack.stackName);
      expect(outcome?.status, `${stack.stackName}: ${outcome?.error} ${outcome?.cause}`).toBe('SUCCEEDED');
    }
    for (const stack of STACKS)
      expect(printed.get(stack.stackName)?.length, stack.stackName).toBeGreaterThan(0);
    expect([...invoked].sort()).toEqual([...ALL_FUNCTIONS].sort());
  });

  it("reads no namespace but AWS's own and the tool's", () => {
    // Act
    const namespaces = new Set(alarms.flatMap((alarm) => alarm.watched.map((m) => m.namespace)));

    // Assess
    expect([...namespaces].filter((ns) => !ns.startsWith('AWS/') && ns !== METRICS_NAMESPACE)).toEqual([]);
    for (const name of ['source-cluster', 'destination-cluster']) {
      const stacks = STACKS.filter((s) => s.template === name).map((s) => s.stackName);
      const own = alarms.filter((a) => stacks.includes(a.stackName));
      expect(
        own.flatMap((a) => a.watched).filter((m) => m.namespace === METRICS_NAMESPACE).length,
        name,
      ).toBeGreaterThan(0);
    }
  });

  it("every alarm on the tool's namespace watches a metric its own stack's runs emitted, with exactly its dimensions", () => {
    // Act
    const missing = alarms.flatMap((alarm) => {
      const emitted = metricsIn(printed.get(alarm.stackName) ?? []);
      const emittedKeys = new Set(emitted.map(key));
      return alarm.watched
        .filter((m) => m.namespace === METRICS_NAMESPACE && !emittedKeys.has(key(m)))
        .map((m) => {
          const sameName = [...new Set(emitted.filter((e) => e.name === m.name).map(key))];
          return `${alarm.stackName} ${alarm.logicalId} watches ${key(m)}; emitted: ${sameName.join(' | ') || 'none by that name'}`;
        });
    });

    // Assess
    expect(missing).toEqual([]);
  });

  it("no alarm watches a metric another stack's runs emit (two stacks of one pattern, one metric each)", () => {
    // Act
    const fedByOthers = alarms.flatMap((alarm) =>
      alarm.watched
        .filter((m) => m.namespace === METRICS_NAMESPACE)
        .flatMap((m) =>
          STACKS.filter(
            (other) =>
              other.stackName !== alarm.stackName &&
              metricsIn(printed.get(other.stackName) ?? []).some((e) => key(e) === key(m)),
          ).map(
            (other) =>
              `${alarm.stackName} ${alarm.logicalId}: ${key(m)} is also emitted by ${other.stackName}`,
          ),
        ),
    );

    // Assess
    expect(fedByOthers).toEqual([]);
  });
});
