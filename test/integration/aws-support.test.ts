// The test support itself and the adapter's output hygiene: moto's start and its install hint, and no SDK warning on Node 20.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEstate } from '../support/estate.js';
import { MOTO_INSTALL_LINE, type MotoServer, startMoto } from '../support/moto.js';

let moto: MotoServer;

beforeAll(async () => {
  moto = await startMoto();
});

afterAll(async () => {
  await moto?.stop();
});

function runNode(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('startMoto', () => {
  it('answers on its endpoint, and reset clears every region', async () => {
    // Prepare
    const estate = createEstate({ endpoint: moto.endpoint });
    await estate.createCluster('us-east-1', 'a');
    await estate.createCluster('eu-west-1', 'b');

    // Act
    await moto.reset();

    // Assess
    expect(moto.endpoint).toBe(`http://127.0.0.1:${moto.port}`);
    expect(await estate.snapshotIds('us-east-1', 'automated')).toEqual([]);
    expect(await estate.snapshotIds('eu-west-1', 'automated')).toEqual([]);
  });

  it('fails with the install line when moto cannot be found', async () => {
    // Act
    let error: unknown;
    try {
      await startMoto({ env: { PATH: '/nonexistent-directory' } });
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(MOTO_INSTALL_LINE);
  });
});

describe('output on Node 20', () => {
  it('building stores and calling AWS prints nothing on stderr (the SDK Node version warning is off)', async () => {
    // Prepare
    const env = { ...process.env, ...moto.env };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const script = [
      "const { storeFactoryFromEnv } = await import('./src/aws/index.ts');",
      'const storeFor = storeFactoryFromEnv(process.env);',
      "const snapshots = await storeFor('us-east-1').listSnapshots('manual');",
      "const account = await storeFor('us-west-2').accountId();",
      'console.log(JSON.stringify({ snapshots: snapshots.length, account }));',
    ].join('\n');

    // Act
    const result = await runNode(script, env);

    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ snapshots: 0, account: '123456789012' });
  });
});
