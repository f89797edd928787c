// The store factory's configuration from options and environment, client sharing, the retry delays and ARN parsing.
import { describe, expect, it } from 'vitest';
import {
  awsClientsFor,
  backoffDelay,
  createSnapshotStore,
  parseArn,
  silenceNodeVersionWarning,
  storeFactoryFromEnv,
  storeOptionsFromEnv,
} from '../../src/aws/index.js';
import { ConfigError } from '../../src/core/model/errors.js';

describe('storeOptionsFromEnv', () => {
  it('reads the endpoint, the emulator account and the attempts', () => {
    // Act
    const options = storeOptionsFromEnv({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
      AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT: '222222222222',
      AWS_MAX_ATTEMPTS: '4',
      AURORA_SNAPSHOT_TOOL_RETRY_BASE_DELAY_MS: '5',
    });

    // Assess
    expect(options).toEqual({
      endpoint: 'http://127.0.0.1:5000',
      accountId: '222222222222',
      maxAttempts: 4,
      retryBaseDelayMs: 5,
    });
  });

  it('leaves everything to the SDK defaults when nothing is set', () => {
    // Act
    const options = storeOptionsFromEnv({ AWS_ENDPOINT_URL: '  ' });

    // Assess
    expect(options).toEqual({
      endpoint: undefined,
      accountId: undefined,
      maxAttempts: undefined,
      retryBaseDelayMs: undefined,
    });
  });

  it('rejects malformed values with a ConfigError naming each variable', () => {
    // Act
    let error: unknown;
    try {
      storeOptionsFromEnv({
        AWS_ENDPOINT_URL: 'not a url',
        AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT: '1234',
        AWS_MAX_ATTEMPTS: 'zero',
        AURORA_SNAPSHOT_TOOL_RETRY_BASE_DELAY_MS: '-1',
      });
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.parameter)).toEqual([
      'AWS_ENDPOINT_URL',
      'AURORA_SNAPSHOT_TOOL_EMULATOR_ACCOUNT',
      'AWS_MAX_ATTEMPTS',
      'AURORA_SNAPSHOT_TOOL_RETRY_BASE_DELAY_MS',
    ]);
  });
});

describe('client sharing', () => {
  it('gives every store of one region and account the same clients, and other regions their own', () => {
    // Act
    const first = createSnapshotStore({ region: 'ap-southeast-2', endpoint: 'http://127.0.0.1:1' });
    const second = createSnapshotStore({ region: 'ap-southeast-2', endpoint: 'http://127.0.0.1:1' });
    const otherAccount = createSnapshotStore({
      region: 'ap-southeast-2',
      endpoint: 'http://127.0.0.1:1',
      accountId: '222222222222',
    });
    const otherRegion = createSnapshotStore({ region: 'ap-southeast-1', endpoint: 'http://127.0.0.1:1' });

    // Assess
    expect(second.clients).toBe(first.clients);
    expect(otherAccount.clients).not.toBe(first.clients);
    expect(otherRegion.clients).not.toBe(first.clients);
    expect(awsClientsFor({ region: 'ap-southeast-2', endpoint: 'http://127.0.0.1:1' })).toBe(first.clients);
  });

  it('makes one store per region from the environment', () => {
    // Prepare
    const storeFor = storeFactoryFromEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:2' });

    // Act
    const a = storeFor('ca-central-1');
    const b = storeFor('ca-central-1');
    const c = storeFor('sa-east-1');

    // Assess
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(c.region).toBe('sa-east-1');
  });
});

describe('the SDK Node version warning', () => {
  it('is switched off unless the user chose otherwise', () => {
    // Prepare
    const unset: NodeJS.ProcessEnv = {};
    const chosen: NodeJS.ProcessEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' };

    // Act
    silenceNodeVersionWarning(unset);
    silenceNodeVersionWarning(chosen);

    // Assess
    expect(unset.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
    expect(chosen.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('false');
  });
});

describe('backoffDelay', () => {
  it('doubles from the base delay up to the cap, with jitter between half and all of it', () => {
    // Prepare
    const options = { baseDelayMs: 100, maxDelayMs: 1000 };

    // Act
    const lowest = [1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, { ...options, random: () => 0 }));
    const highest = [1, 2, 3, 4, 5, 6].map((retry) =>
      backoffDelay(retry, { ...options, random: () => 0.999999 }),
    );

    // Assess
    expect(lowest).toEqual([50, 100, 200, 400, 500, 500]);
    expect(highest).toEqual([99, 199, 399, 799, 999, 999]);
  });
});

describe('parseArn', () => {
  it('reads snapshot, automated snapshot and key ARNs and refuses other strings', () => {
    // Act
    const manual = parseArn('arn:aws:rds:us-east-1:123456789012:cluster-snapshot:prod-db-1');
    const automated = parseArn('arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:prod-db-2024');
    const key = parseArn('arn:aws:kms:us-west-2:123456789012:key/abcd');
    const notArn = parseArn('prod-db-1');

    // Assess
    expect(manual).toEqual({
      partition: 'aws',
      service: 'rds',
      region: 'us-east-1',
      accountId: '123456789012',
      resourceType: 'cluster-snapshot',
      resource: 'prod-db-1',
    });
    expect(automated?.resource).toBe('rds:prod-db-2024');
    expect(key).toMatchObject({ service: 'kms', region: 'us-west-2', resourceType: 'key', resource: 'abcd' });
    expect(notArn).toBeUndefined();
  });
});
