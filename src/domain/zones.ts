/**
 * Indonesia's three time zones and local clock times. Simulated time is kept in seconds since
 * 00:00 WIB of election day; a zone's local time is WIB plus its offset.
 */
export type Zone = 'WIB' | 'WITA' | 'WIT';
export const ZONE_NAMES: readonly Zone[] = ['WIB', 'WITA', 'WIT'];

/** Hours ahead of WIB (WIB is UTC+7). */
export const ZONE_OFFSET_H: Record<Zone, number> = { WIB: 0, WITA: 1, WIT: 2 };
export const ZONE_UTC_H: Record<Zone, number> = { WIB: 7, WITA: 8, WIT: 9 };

const HHMM = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** "17:00" -> 1020 minutes since midnight; "24:00" allowed (end of day). Returns null if invalid. */
export function parseLocalTime(s: string): number | null {
  const m = HHMM.exec(s);
  if (!m) return null;
  const min = Number(m[1]) * 60 + Number(m[2]);
  return min > 24 * 60 ? null : min;
}

/** 1020 -> "17:00"; also for values past midnight ("25:30" style is folded to "01:30"). */
export function formatLocalTime(min: number): string {
  const m = ((Math.round(min) % 1440) + 1440) % 1440;
  const whole = Math.round(min) === 1440 ? '24:00' : null;
  if (whole) return whole;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
