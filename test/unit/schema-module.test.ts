// The schema module builds its parameters when it is first imported; this file imports it inside a test (and
// nothing else that imports it), so a schema that cannot be built fails a test rather than the file's import.
import { describe, expect, it } from 'vitest';

describe('the schema module', () => {
  it('loads and validates a minimal configuration with its defaults', async () => {
    // Act
    const { parseConfig, DEFAULTS } = await import('../../src/config/schema.js');
    const config = parseConfig({ Source: { Region: 'us-east-1', ClusterNamePattern: 'prod' } });
    // Assess
    expect(config.Source?.KeepLast).toBe(DEFAULTS.KeepLast);
    expect(config.Source?.BackupInterval).toBe(DEFAULTS.BackupInterval);
  });
});
