const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * A timestamp as the orchestrator writes one (Python's `datetime.now().isoformat()`): local time, no
 * zone, microseconds. Dates carry milliseconds, so the last three digits are zeros.
 */
export function upstreamTimestamp(date: Date): string {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${day}T${time}.${pad(date.getMilliseconds(), 3)}000`;
}
