/**
 * Example CDK app: deploys the tool from one configuration file with `cdk deploy`, the functions uploaded
 * as assets from the bundles `npm run package` builds. Run from this directory:
 *   npx aws-cdk@2 deploy --all -c config=tool.yaml
 */
import { resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfigFile } from '../src/config/load.js';
import { addToolStacks } from '../src/infra/app.js';

const app = new App();
const configPath = resolve(String(app.node.tryGetContext('config') ?? 'tool.yaml'));
const bundleDir = resolve(String(app.node.tryGetContext('bundleDir') ?? '../dist/lambda'));

const config = await loadConfigFile(configPath);
addToolStacks(app, config, {
  bundleDir,
  ...(process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT } : {}),
});
// AWS Solutions checks run at synthesis; every acknowledged finding carries its reason in src/infra.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
