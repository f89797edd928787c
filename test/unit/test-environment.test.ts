import { readFileSync } from 'node:fs';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { restoreEnvironment } from '../support/environment.js';
import { MOCKABLE_CLIENTS, restoreClassMocks } from '../support/mockable-clients.js';

// The files of a worker share one process: each file's environment changes end with it (test/support/setup.ts).
describe('restoreEnvironment', () => {
  const before = { ...process.env };
  afterEach(() => restoreEnvironment(before));

  it('removes what was added, puts back what was changed or removed, and keeps Node’s own environment object', () => {
    // Prepare
    const environment = process.env;
    const snapshot = { ...process.env, RESTORE_CHANGED: 'before', RESTORE_REMOVED: 'kept' };
    process.env.RESTORE_CHANGED = 'before';
    process.env.RESTORE_REMOVED = 'kept';
    process.env.RESTORE_ADDED = 'added';
    process.env.RESTORE_CHANGED = 'after';
    delete process.env.RESTORE_REMOVED;

    // Act
    restoreEnvironment(snapshot);

    // Assess
    expect(process.env).toBe(environment);
    expect(process.env.RESTORE_ADDED).toBeUndefined();
    expect('RESTORE_ADDED' in process.env).toBe(false);
    expect(process.env.RESTORE_CHANGED).toBe('before');
    expect(process.env.RESTORE_REMOVED).toBe('kept');
  });

  it('never writes the text "undefined" for a variable that was not set', () => {
    // Prepare
    process.env.RESTORE_UNSET = 'set';

    // Act
    restoreEnvironment({ ...before, RESTORE_UNSET: undefined });

    // Assess
    expect('RESTORE_UNSET' in process.env).toBe(false);
  });
});

// The files of a worker share one process: a class-wide mock a file leaves is put back, and the file fails.
describe('restoreClassMocks', () => {
  it('covers every SDK client package the product depends on', () => {
    // Prepare
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const clients = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((name) =>
      name.startsWith('@aws-sdk/client-'),
    );

    // Assess
    expect(Object.keys(MOCKABLE_CLIENTS).sort()).toEqual(clients.sort());
  });

  it('puts back a class-wide mock and names its class, and finds none afterwards', async () => {
    // Prepare
    const original = OrganizationsClient.prototype.send;
    mockClient(OrganizationsClient);
    expect(OrganizationsClient.prototype.send).not.toBe(original);

    // Act
    const left = restoreClassMocks();

    // Assess
    expect(left).toEqual(['OrganizationsClient']);
    expect(OrganizationsClient.prototype.send).toBe(original);
    expect(restoreClassMocks()).toEqual([]);
  });
});
