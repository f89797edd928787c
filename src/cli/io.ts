/** The CLI's one output channel: human lines or a single JSON document, so commands and tests share it. */

export interface IoHost {
  /** A line for people (stdout). Ignored in JSON mode. */
  info(line: string): void;
  /** A problem for people (stderr), shown in both modes. */
  error(line: string): void;
  /** The machine-readable result (stdout) in JSON mode. */
  result(value: unknown): void;
  readonly json: boolean;
}

export interface Streams {
  write(text: string): void;
  writeError(text: string): void;
}

export const processStreams: Streams = {
  write: (text) => process.stdout.write(text),
  writeError: (text) => process.stderr.write(text),
};

export function createIoHost(streams: Streams, json: boolean): IoHost {
  return {
    json,
    info(line) {
      if (!json) streams.write(`${line}\n`);
    },
    error(line) {
      streams.writeError(`${line}\n`);
    },
    result(value) {
      if (json) streams.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}

/** What every command is given: the one output channel and the environment. */
export interface CommandContext {
  readonly io: IoHost;
  readonly env: NodeJS.ProcessEnv;
}
