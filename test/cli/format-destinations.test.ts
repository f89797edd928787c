// The text of plan, run and status with several destinations: each copy and share names its destinations, a lagging destination is flagged.
import { describe, expect, it } from 'vitest';
import { formatPlan, formatResults, formatStatus } from '../../src/cli/format.js';
import { parseConfig, type SourceConfig } from '../../src/config/schema.js';
import { TAG } from '../../src/core/model/tags.js';
import { planSource, statusReport } from '../../src/core/plan/pass.js';
import { backup, cluster, drCopy, hoursAfter, sourceObservation } from '../support/snapshot-builder.js';

const NOW = new Date('2025-03-01T00:00:00.000Z');
const OTHER = '222222222222';

const config = parseConfig({
  Source: {
    Region: 'us-east-1',
    ClusterNamePattern: 'prod',
    ShareSnapshots: true,
    MaxWaitMinutes: 60,
    Destinations: [{ Region: 'us-west-2' }, { Region: 'eu-west-1', Account: OTHER }],
  },
}).Source as SourceConfig;

describe('plan and status text with several destinations', () => {
  // Prepare: two backups; us-west-2 has both copies, eu-west-1 only the older one (not shared)
  const old = backup('prod', hoursAfter(NOW, -10), { tags: { [TAG.ShareAndCopy]: 'YES' } });
  const fresh = backup('prod', hoursAfter(NOW, -3), { tags: { [TAG.ShareAndCopy]: 'YES' } });
  const obs = sourceObservation({
    now: NOW,
    clusters: [cluster('prod')],
    snapshots: [old, fresh],
    regionSnapshots: {
      'us-west-2': [drCopy(old, 'us-west-2'), drCopy(fresh, 'us-west-2')],
      'eu-west-1': [drCopy(old, 'eu-west-1')],
    },
  });

  it('names the destinations each copy and share works for, in the plan and in the results', () => {
    // Act
    const plan = planSource(obs, config, ['share']);
    const lines = formatPlan('Source', plan).join('\n');
    const results = formatResults(
      plan.actions.map((action) => ({ action, ok: false, error: 'KmsKeyNotAccessible', message: 'no' })),
    );

    // Assess
    expect(lines).toContain(`copy    us-east-1 -> eu-west-1 ${fresh.id} (dr-copy) (for ${OTHER}@eu-west-1)`);
    expect(lines).toMatch(new RegExp(`share .*${old.id}.* \\(for ${OTHER}@eu-west-1\\)`));
    expect(results.join('\n')).toContain(`(for ${OTHER}@eu-west-1): KmsKeyNotAccessible: no`);
  });

  it('shows each destination of the cluster, and flags the one lagging beyond MaxWaitMinutes', () => {
    // Act
    const text = formatStatus(statusReport(obs, config)).join('\n');

    // Assess
    expect(text).toContain('us-east-1 -> us-west-2, 222222222222@eu-west-1');
    expect(text).toContain(`destination us-west-2: ${fresh.id} (available, recovery point 3.0h)`);
    expect(text).toContain(
      `destination ${OTHER}@eu-west-1: none — LAGGING: ${old.id} not received for 10.0h (over MaxWaitMinutes)`,
    );
  });
});
