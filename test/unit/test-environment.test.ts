import { readFileSync } from 'node:fs';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { restoreEnvironment } from '../support/environment.js';
import { hasLoadedFile, hasLoadedPackage, knowsLoadedModules } from '../support/loaded-modules.js';
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
    const left = await restoreClassMocks();

    // Assess
    expect(left).toEqual(['OrganizationsClient']);
    expect(OrganizationsClient.prototype.send).toBe(original);
    expect(await restoreClassMocks()).toEqual([]);
  });
});

// The setup puts back the state of what a file loaded, and imports nothing else (a mutation run's worker is new
// for each mutant): it must see what was loaded, or it would import the handlers and the SDK for every file.
describe('loaded modules', () => {
  it('are known to the worker, so the setup imports nothing a file did not', () => {
    expect(knowsLoadedModules()).toBe(true);
  });

  it('include a module from the moment a test imports it, and not before', async () => {
    // Prepare
    const probe = new URL('../fixtures/loaded-modules/probe.ts', import.meta.url);
    expect(hasLoadedFile(probe)).toBe(false);

    // Act
    const { PROBE } = await import('../fixtures/loaded-modules/probe.js');

    // Assess
    expect(PROBE).toBe('loaded');
    expect(hasLoadedFile(probe)).toBe(true);
  });

  it('include an npm package this file imports, and not one nobody imports', () => {
    expect(hasLoadedPackage('@aws-sdk/client-organizations')).toBe(true);
    expect(hasLoadedPackage('@aws-sdk/client-organizations-that-is-not')).toBe(false);
  });
});
