/**
 * Dependency rules: the core (src/core) is pure. It imports nothing from the adapters (aws, handlers,
 * infra, cli) and no AWS SDK, CDK or Lambda Powertools package, so it runs and is tested anywhere.
 * Checked by test/unit/architecture.test.ts (`npx depcruise src --config .dependency-cruiser.cjs`).
 */
/** Paths are matched anywhere in the tree so the test's fixture (a deliberate violation) is judged too. */
const CORE = '(^|/)src/core/';
const ADAPTERS = '(^|/)src/(aws|handlers|infra|cli)/';
const AWS_PACKAGES =
  '(^|/)node_modules/(@aws-sdk|@smithy|@aws-lambda-powertools|aws-cdk-lib|constructs|cdk-nag)/';
const AWS_MODULE_NAMES = '^(@aws-sdk|@smithy|@aws-lambda-powertools|aws-cdk-lib|constructs|cdk-nag)(/|$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-not-to-adapters',
      comment: 'src/core is the domain: adapters depend on it, never the other way round.',
      severity: 'error',
      from: { path: CORE },
      to: { path: ADAPTERS },
    },
    {
      name: 'core-not-to-aws-packages',
      comment: 'src/core reaches AWS only through the ports in src/core/model/ports.ts.',
      severity: 'error',
      from: { path: CORE },
      to: { path: AWS_PACKAGES },
    },
    {
      name: 'core-not-to-unresolved-aws-packages',
      comment: 'The same, for an AWS package that is not installed (its name is all there is to match).',
      severity: 'error',
      from: { path: CORE },
      to: { couldNotResolve: true, path: AWS_MODULE_NAMES },
    },
    {
      name: 'core-no-runtime-cycles',
      comment: 'Type-only imports may go both ways (the engine contract and its planners); code may not.',
      severity: 'error',
      from: { path: CORE },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    exclude: { path: '(^|/)(dist|cdk\\.out)/' },
  },
};
