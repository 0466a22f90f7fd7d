/** How every text face writes a ratio and a duration, so reports and the dashboard agree. */
import type { Ratio } from './metrics.ts';

/** `62.5% (5/8)`, or `–` when there is nothing to divide. */
export const pct = (r: Ratio): string =>
  r.ratio === null ? '–' : `${(r.ratio * 100).toFixed(1)}% (${r.count}/${r.total})`;

/** Hours under two days, days from then on; `–` for none. */
export const hours = (h: number | null): string =>
  h === null ? '–' : h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} d`;
