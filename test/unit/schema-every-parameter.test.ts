// One schema describes every parameter the stacks and the constructs accept: SharedSnapshotsKmsKey included.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  DestinationItemSchema,
  DestinationSchema,
  MAX_DESTINATIONS,
  parseConfig,
  SourceSchema,
} from '../../src/config/schema.js';
import { ConfigError } from '../../src/core/model/errors.js';
import { addToolStacks } from '../../src/infra/app.js';

const KEY = 'arn:aws:kms:us-west-2:111122223333:key/0b3a2c5e-1111-2222-3333-444455556666';

function issues(input: unknown): { parameter: string; message: string }[] {
  try {
    parseConfig(input);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
}

function templateParameters(name: string): string[] {
  const template = parse(
    readFileSync(new URL(`../../cloudformation/${name}.yaml`, import.meta.url), 'utf8'),
  ) as {
    Parameters: Record<string, unknown>;
  };
  return Object.keys(template.Parameters);
}

describe('the configuration schema and the templates', () => {
  it.each([
    ['source-cluster', SourceSchema],
    ['destination-cluster', DestinationSchema],
  ])('knows every parameter of the %s template', (name, schema) => {
    const known = Object.keys(schema.shape);
    // Destination<N>Region/Account/KmsKey are item N-1 of Destinations (Region, Account, KmsKeyDestination).
    const slot = /^Destination([2-9])(Region|Account|KmsKey)$/;
    const slots = templateParameters(name).filter((p) => slot.test(p));
    expect(templateParameters(name).filter((p) => !known.includes(p) && !slot.test(p))).toEqual([]);
    for (const parameter of slots) {
      const [, n, field] = slot.exec(parameter) as unknown as [string, string, string];
      expect(known, parameter).toContain('Destinations');
      expect(Number(n)).toBeLessThanOrEqual(MAX_DESTINATIONS);
      expect(Object.keys(DestinationItemSchema.shape), parameter).toContain(
        field === 'KmsKey' ? 'KmsKeyDestination' : field,
      );
    }
  });

  it('accepts Destination.SharedSnapshotsKmsKey with SourceAccount', () => {
    const config = parseConfig({
      Destination: {
        Region: 'us-west-2',
        SnapshotPattern: 'prod',
        SourceAccount: '111122223333',
        SharedSnapshotsKmsKey: KEY,
      },
    });
    expect(config.Destination?.SharedSnapshotsKmsKey).toBe(KEY);
  });

  it.each([
    [
      'an alias',
      { SourceAccount: '111122223333', SharedSnapshotsKmsKey: 'alias/theirs' },
      "must be the ARN of the source account's key",
    ],
    ['no SourceAccount', { SharedSnapshotsKmsKey: KEY }, 'is used only with SourceAccount'],
    [
      'a key of another account',
      { SourceAccount: '444455556666', SharedSnapshotsKmsKey: KEY },
      'must be a key of SourceAccount (444455556666)',
    ],
    [
      'a key of another region',
      { SourceAccount: '111122223333', SharedSnapshotsKmsKey: KEY.replace('us-west-2', 'eu-west-1') },
      'must be a key in Destination.Region (us-west-2)',
    ],
  ])('refuses SharedSnapshotsKmsKey given as %s, naming it', (_label, extra, message) => {
    const found = issues({ Destination: { Region: 'us-west-2', SnapshotPattern: 'prod', ...extra } });
    expect(found.map((i) => i.parameter)).toEqual(['Destination.SharedSnapshotsKmsKey']);
    expect(found[0]?.message).toContain(message);
  });

  it('lets the CDK app deploy a configuration file with SharedSnapshotsKmsKey, the key in the functions policy', () => {
    // Prepare
    const config = parseConfig({
      Destination: {
        Region: 'us-west-2',
        SnapshotPattern: 'prod',
        SourceAccount: '111122223333',
        SharedSnapshotsKmsKey: KEY,
      },
    });
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) });
    const zips = mkdtempSync(join(tmpdir(), 'zips-'));
    for (const name of ['CopySnapshotsDestAurora', 'DeleteOldSnapshotsDestAurora']) {
      writeFileSync(join(zips, `${name}.zip`), 'zip');
    }

    // Act
    const { destination } = addToolStacks(app, config, { bundleDir: zips });

    // Assess
    const template = JSON.stringify(app.synth().getStackByName(destination?.stackName ?? '').template);
    expect(template).toContain(KEY);
  });
});
