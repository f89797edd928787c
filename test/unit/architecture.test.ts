// The dependency rules, checked by dependency-cruiser: src/core imports nothing else of src/ and no AWS package;
// no import circle anywhere in src/.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEPCRUISE = 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs';

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

interface CruiseResult {
  readonly modules: readonly { readonly source: string }[];
  readonly summary: { readonly violations: readonly Violation[] };
}

/** Runs the dependency-cruiser CLI with the project's rules, as CI would, and returns its JSON result. */
async function cruise(path: string): Promise<CruiseResult> {
  const args = [DEPCRUISE, path, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'];
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout) as CruiseResult;
  } catch (error) {
    // The CLI exits non-zero when it finds violations; its JSON is still on stdout.
    const stdout = (error as { stdout?: string }).stdout;
    if (stdout) return JSON.parse(stdout) as CruiseResult;
    throw error;
  }
}

describe('architecture', () => {
  it('src/core imports nothing else of src/ and no AWS SDK or CDK package, and src/ has no import circle', async () => {
    // Act
    const result = await cruise('src');

    // Assess
    expect(result.modules.filter((m) => m.source.startsWith('src/core/')).length).toBeGreaterThan(10);
    expect(result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  });

  it('the rules catch a core that imports an outer layer, the configuration, the SDK, the CDK or a missing AWS package, and any circle', async () => {
    // Act
    const result = await cruise('test/fixtures/architecture');

    // Assess
    const found = result.summary.violations.map((v) => [
      v.rule.name,
      v.from.replace(/^test\/fixtures\/architecture\//, ''),
      v.to.replace(/^test\/fixtures\/architecture\//, ''),
    ]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['core-not-to-outer-layers', 'src/core/impure.ts', 'src/aws/client.ts'],
        ['core-not-to-outer-layers', 'src/core/configured.ts', 'src/config/schema.ts'],
        [
          'core-not-to-aws-packages',
          'src/core/impure.ts',
          expect.stringMatching(/(^|\/)node_modules\/@aws-sdk\/client-rds\//),
        ],
        [
          'core-not-to-aws-packages',
          'src/core/impure.ts',
          expect.stringMatching(/(^|\/)node_modules\/aws-cdk-lib\//),
        ],
        ['core-not-to-unresolved-aws-packages', 'src/core/impure.ts', '@aws-sdk/client-not-installed'],
        [
          'no-circular',
          expect.stringMatching(/^src\/cli\/cycle-[ab]\.ts$/),
          expect.stringMatching(/^src\/cli\/cycle-[ab]\.ts$/),
        ],
        [
          'no-circular',
          expect.stringMatching(/^src\/core\/types-[ab]\.ts$/),
          expect.stringMatching(/^src\/core\/types-[ab]\.ts$/),
        ],
      ]),
    );
  });
});
