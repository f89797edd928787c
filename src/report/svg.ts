/** Small helpers to write SVG and HTML as text: escaping, a time scale, and number formatting. */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and attribute values alike. */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** A linear scale from one time range onto pixels; times outside the range are clamped to its edges. */
export function timeScale(from: Date, to: Date, left: number, width: number): (t: Date | string) => number {
  const start = from.getTime();
  const span = Math.max(1, to.getTime() - start);
  return (t) => {
    const ms = (typeof t === 'string' ? new Date(t) : t).getTime();
    const ratio = Math.min(1, Math.max(0, (ms - start) / span));
    return round(left + ratio * width);
  };
}

/** One decimal place is plenty for pixels and keeps the page small. */
export function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export function formatHours(hours: number | undefined): string {
  if (hours === undefined || !Number.isFinite(hours)) return '—';
  return `${hours.toFixed(1)} h`;
}

/** `2024-05-01 08:00` (UTC), the form used in tooltips and headings. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Day boundaries (UTC) inside the range, thinned so that at most about `maxTicks` are drawn. */
export function dayTicks(from: Date, to: Date, maxTicks = 16): Date[] {
  const days = Math.max(1, (to.getTime() - from.getTime()) / DAY);
  const step = days <= maxTicks ? 1 : Math.ceil(days / maxTicks);
  const first = Math.ceil(from.getTime() / DAY) * DAY;
  const ticks: Date[] = [];
  for (let t = first, i = 0; t <= to.getTime(); t += DAY, i++) {
    if (i % step === 0) ticks.push(new Date(t));
  }
  // A period shorter than a day has no midnight in it: mark every 6 hours instead.
  if (ticks.length < 2) {
    ticks.length = 0;
    for (let t = Math.ceil(from.getTime() / (6 * HOUR)) * 6 * HOUR; t <= to.getTime(); t += 6 * HOUR) {
      ticks.push(new Date(t));
    }
  }
  return ticks;
}
