// Engine versions of a recovery region: their order, the one to suggest instead of a version the region no longer offers, and a version's parameter group family.
import { describe, expect, it } from 'vitest';
import { compareVersions, familyOf, nearestVersion } from '../../../src/core/restore/index.js';

const sign = (a: string, b: string) => Math.sign(compareVersions(a, b));

describe('compareVersions', () => {
  it('puts a version before the versions that extend it, in both orders of the arguments', () => {
    // Act, Assess
    expect([sign('15', '15.0'), sign('15.0', '15')]).toEqual([-1, 1]);
    expect([sign('8.0', '8.0.mysql_aurora.3.05.2'), sign('8.0.mysql_aurora.3.05.2', '8.0')]).toEqual([-1, 1]);
  });

  it('orders by the numbers however they are written: 3.5 comes before 3.05.1, though its text sorts after', () => {
    // Act, Assess
    expect([sign('3.5', '3.05.1'), sign('3.05.1', '3.5')]).toEqual([-1, 1]);
  });

  it('puts a version written without any number before every numbered one', () => {
    // Act, Assess
    expect([sign('latest', '1'), sign('1', 'latest')]).toEqual([-1, 1]);
  });
});

describe('nearestVersion', () => {
  const offered = ['13.9', '14.6', '15.2'].map((version) => ({ version }));

  it('suggests the lowest offered version above the wanted one, never the wanted one itself', () => {
    // Act, Assess
    expect(nearestVersion('14.6', offered)).toBe('15.2');
    expect(nearestVersion('14.1', offered)).toBe('14.6');
  });

  it('suggests the highest offered version when every one is below the wanted one', () => {
    // Act, Assess
    expect(nearestVersion('16.1', offered)).toBe('15.2');
  });
});

describe('familyOf', () => {
  it("takes the family the region gives for that very version, not another version's", () => {
    // Prepare
    const offered = [
      { version: '14.9', family: 'aurora-postgresql14' },
      { version: '15.4', family: 'custom-family15' },
    ];

    // Act, Assess
    expect(familyOf('aurora-postgresql', '15.4', offered)).toBe('custom-family15');
    expect(familyOf('aurora-postgresql', '15.5', offered)).toBe('aurora-postgresql15');
  });

  it('names the family Aurora names from the major version, and the major and minor of Aurora MySQL', () => {
    // Act, Assess
    expect(familyOf('aurora-postgresql', '16.2')).toBe('aurora-postgresql16');
    expect(familyOf('aurora-mysql', '8.0.mysql_aurora.3.05.2')).toBe('aurora-mysql8.0');
    expect(familyOf('aurora-mysql', '5.7.mysql_aurora.2.11.2')).toBe('aurora-mysql5.7');
  });

  it('names no family for a version whose numbers do not say it', () => {
    // Act, Assess
    expect(familyOf('aurora-postgresql', 'latest')).toBeUndefined();
    expect(familyOf('aurora-mysql', 'latest')).toBeUndefined();
    expect(familyOf('aurora-mysql', '8')).toBeUndefined();
    expect(familyOf('aurora-postgresql', undefined)).toBeUndefined();
  });

  it('names no family for an engine whose family names it does not know', () => {
    // Act, Assess
    expect(familyOf('aurora', '5.6.10a')).toBeUndefined();
  });
});
