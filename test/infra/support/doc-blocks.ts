// What a guide in docs/ shows: its fenced code blocks, its command lines, and the CLI's parse of them.
import { createProgram } from '../../../src/cli/main.js';

/** The fenced code blocks of `lang`, their lines' list indentation removed. */
export function codeBlocks(text: string, lang: string): string[] {
  return [...text.matchAll(/^( *)```(\w*)\n([\s\S]*?)^\1```$/gm)]
    .filter((m) => m[2] === lang)
    .map((m) => {
      const indent = (m[1] ?? '').length;
      return (m[3] ?? '')
        .split('\n')
        .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
        .join('\n');
    });
}

/** Command lines starting with `program` in shell blocks (with their continuations) and in inline code. */
export function commandLines(text: string, program: string): string[] {
  const inBlocks = codeBlocks(text, 'sh').flatMap((block) =>
    [...block.matchAll(new RegExp(`^${program} (?:.*\\\\\\n)*.*$`, 'gm'))].map((m) =>
      m[0].replace(/\s+#[^'"\n]*$/, ''),
    ),
  );
  const inline = [...text.matchAll(new RegExp(`\`(${program} [^\`]+)\``, 'g'))].map((m) => m[1] as string);
  return [...inBlocks, ...inline];
}

export interface Parsed {
  readonly command: string;
  readonly options: Record<string, unknown>;
}

/** Parses argv with the CLI's commander program, running nothing: the command and its options, or the error. */
export async function parseCli(argv: readonly string[]): Promise<Parsed | { error: string }> {
  let parsed: Parsed | undefined;
  let errors = '';
  const program = createProgram(
    {
      write: () => {},
      writeError: (text) => {
        errors += text;
      },
    },
    async (command, options) => {
      parsed = { command, options };
    },
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    return { error: errors || String(error) };
  }
  return parsed ?? { error: 'no command ran' };
}
