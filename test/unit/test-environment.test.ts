import { afterEach, describe, expect, it } from 'vitest';
import { restoreEnvironment } from '../support/environment.js';

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
