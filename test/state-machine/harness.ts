// Shared by the handler and state machine tests: captured output (Powertools logs and EMF metrics) and Lambda-like task overrides.
import { vi } from 'vitest';

export interface EmfDocument {
  readonly _aws: {
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

export interface CapturedOutput {
  /** Every JSON line written to stdout. */
  readonly lines: Record<string, unknown>[];
  /** The EMF documents among them. */
  emf(): EmfDocument[];
  /** Value of a metric for the given dimension value (e.g. a cluster id), from the EMF documents. */
  metric(name: string, dimension: Record<string, string>): number[];
  /** Log lines (Powertools Logger) among them. */
  logs(): Record<string, unknown>[];
  restore(): void;
}

/**
 * Captures what Powertools writes (it writes through a Console bound to process.stdout and
 * process.stderr: EMF and logs up to WARN on stdout, ERROR on stderr).
 */
export function captureStdout(): CapturedOutput {
  const lines: Record<string, unknown>[] = [];
  const record = (chunk: unknown): boolean => {
    for (const line of String(chunk).split('\n')) {
      if (!line.trim().startsWith('{')) continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not one of ours.
      }
    }
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(record);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(record);
  const emf = () => lines.filter((line): line is EmfDocument => '_aws' in line) as EmfDocument[];
  return {
    lines,
    emf,
    metric(name, dimension) {
      return emf()
        .filter((doc) => Object.entries(dimension).every(([key, value]) => doc[key] === value))
        .filter((doc) => doc[name] !== undefined)
        .map((doc) => doc[name] as number);
    },
    logs: () => lines.filter((line) => !('_aws' in line)),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}
