/**
 * Dependency rules: the core (src/core) is pure. It imports nothing else of src/ (config, aws, handlers,
 * infra, cli, report, demo, state-machines) and no AWS SDK, CDK or Lambda Powertools package, so it runs and
 * is tested anywhere; and no module of src/ is part of an import circle.
 * Checked by test/unit/architecture.test.ts (`npx depcruise src --config .dependency-cruiser.cjs`).
 */
/** Paths are matched anywhere in the tree so the test's fixture (deliberate violations) is judged too. */
const CORE = '(^|/)src/core/';
const SRC = '(^|/)src/';
const NODE_MODULES = '(^|/)node_modules/';
const AWS_PACKAGES =
  '(^|/)node_modules/(@aws-sdk|@smithy|@aws-lambda-powertools|aws-cdk-lib|constructs|cdk-nag)/';
const AWS_MODULE_NAMES = '^(@aws-sdk|@smithy|@aws-lambda-powertools|aws-cdk-lib|constructs|cdk-nag)(/|$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-not-to-outer-layers',
      comment:
        'src/core is the domain: the outer layers depend on it, never the other way round. It declares the ' +
        'policy it needs in its own types (src/core/policy/backup-policy.ts); src/config maps into them.',
      severity: 'error',
      from: { path: CORE },
      to: { path: SRC, pathNot: [CORE, NODE_MODULES] },
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
      name: 'no-circular',
      comment:
        'No import circle anywhere, type-only imports included: a circle of types still ties two modules ' +
        'so that neither can be read, tested or moved without the other. The circles the code had were broken ' +
        'by giving the shared type one home (the core policy types; the CLI context in src/cli/io.ts).',
      severity: 'error',
      from: {},
      to: { circular: true },
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
