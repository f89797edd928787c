/**
 * Headless Chromium for the report page: find the browser, read what it rendered (the DOM after a
 * probe script measured the layout), and take the screenshot the README shows.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The browser binary: CHROMIUM_PATH when set, else Debian's or Chrome's usual place; undefined when absent. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) return existsSync(configured) ? configured : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

// No network, no profile state, nothing in the background: the page is a local file.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
  '--force-device-scale-factor=1',
];

async function withProfile<T>(run: (profile: string) => Promise<T>): Promise<T> {
  const profile = await mkdtemp(join(tmpdir(), 'aurora-report-chromium-'));
  try {
    return await run(profile);
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

function chromium(binary: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      [...FLAGS, ...args],
      { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${binary} failed: ${error.message}\n${stderr.slice(-2000)}`));
        else resolve(stdout);
      },
    );
  });
}

/** Measures the page in the browser: the rendered marks and the document's size. */
export interface RenderedPage {
  /** `.snapshot-mark` elements whose drawn box has a width and a height. */
  readonly visibleMarks: number;
  /** All `.snapshot-mark` elements in the DOM. */
  readonly marks: number;
  readonly recoveryLines: number;
  readonly width: number;
  readonly height: number;
  /** The DOM as Chromium serialized it. */
  readonly dom: string;
}

// Runs inside the page after it is parsed: getBBox forces layout, so a mark counts only if drawn.
const PROBE = `<script>
(() => {
  const marks = [...document.querySelectorAll('.snapshot-mark')];
  const visible = marks.filter((m) => { const b = m.getBBox(); return b.width > 0 && b.height > 0; });
  const out = document.createElement('pre');
  out.id = 'render-probe';
  out.textContent = JSON.stringify({
    marks: marks.length,
    visibleMarks: visible.length,
    recoveryLines: document.querySelectorAll('.rp-line').length,
    width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
  });
  document.body.appendChild(out);
})();
</script>`;

/** Opens a copy of the page with a probe appended and reads what Chromium rendered. */
export async function renderInChromium(binary: string, html: string): Promise<RenderedPage> {
  return withProfile(async (profile) => {
    const page = join(profile, 'page.html');
    await writeFile(page, html.replace('</body>', `${PROBE}</body>`), 'utf8');
    const dom = await chromium(binary, [
      `--user-data-dir=${join(profile, 'data')}`,
      '--window-size=1180,900',
      '--dump-dom',
      pathToFileURL(page).href,
    ]);
    const probe = /<pre id="render-probe">([^<]*)<\/pre>/.exec(dom)?.[1];
    if (!probe) throw new Error('the page did not render (no probe output in the DOM Chromium returned)');
    const measured = JSON.parse(probe.replaceAll('&quot;', '"').replaceAll('&amp;', '&')) as Omit<
      RenderedPage,
      'dom'
    >;
    return { ...measured, dom };
  });
}

/** Screenshots the whole page at `width` pixels into a PNG. */
export async function screenshot(binary: string, htmlFile: string, png: string, width = 1180): Promise<void> {
  const html = await readFile(htmlFile, 'utf8');
  const { height } = await renderInChromium(binary, html);
  await withProfile(async (profile) => {
    await chromium(binary, [
      `--user-data-dir=${join(profile, 'data')}`,
      `--window-size=${width},${height}`,
      `--screenshot=${png}`,
      pathToFileURL(htmlFile).href,
    ]);
  });
}
