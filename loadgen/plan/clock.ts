/**
 * The plan's three clocks and the two maps between them:
 *   zone local minutes --(zone shift)--> simulated WIB seconds --(compression)--> real ms.
 * Zone shift: with clock "local" a zone's 17:00 is WIB 17:00 minus its offset (WITA one hour
 * earlier, WIT two); with clock "wib" every zone reads WIB. Compression: real ms since the
 * origin = (sim − origin) / timeScale × 1000, the origin being the earliest zone's window start.
 */
import { ZONE_OFFSET_H, type Zone } from '../../src/domain/zones.js';

export type ClockMode = 'local' | 'wib';

/** Minutes a zone's local clock is ahead of WIB under this clock mode. */
export function zoneShiftMin(mode: ClockMode, zone: Zone): number {
  return mode === 'local' ? ZONE_OFFSET_H[zone] * 60 : 0;
}

/** Zone local minutes -> simulated seconds since 00:00 WIB. */
export function localMinToSimS(mode: ClockMode, zone: Zone, localMin: number): number {
  return (localMin - zoneShiftMin(mode, zone)) * 60;
}

/** Simulated seconds since 00:00 WIB -> zone local minutes. */
export function simSToLocalMin(mode: ClockMode, zone: Zone, simS: number): number {
  return simS / 60 + zoneShiftMin(mode, zone);
}

/** The origin: the earliest of the zones' `startLocalMin` in simulated WIB seconds. */
export function originSimS(mode: ClockMode, startLocalMin: number, zones: readonly Zone[]): number {
  if (zones.length === 0) throw new RangeError('clock: expected at least one zone to place the origin');
  let best = Infinity;
  for (const z of zones) best = Math.min(best, localMinToSimS(mode, z, startLocalMin));
  return best;
}

/** Time compression: simulated WIB seconds <-> real ms since the origin. */
export class PlanClock {
  constructor(
    readonly mode: ClockMode,
    /** Simulated seconds since 00:00 WIB at real t = 0. */
    readonly originS: number,
    /** Simulated seconds per real second. */
    readonly timeScale: number,
  ) {
    if (!(timeScale > 0 && Number.isFinite(timeScale))) {
      throw new RangeError(`timeScale: expected a positive number of simulated seconds per real second, got ${timeScale}`);
    }
    if (!Number.isFinite(originS)) throw new RangeError(`clock origin: expected finite seconds, got ${originS}`);
  }

  simSToRealMs(simS: number): number {
    return ((simS - this.originS) * 1000) / this.timeScale;
  }

  realMsToSimS(realMs: number): number {
    return this.originS + (realMs * this.timeScale) / 1000;
  }

  localMinToRealMs(zone: Zone, localMin: number): number {
    return this.simSToRealMs(localMinToSimS(this.mode, zone, localMin));
  }

  realMsToLocalMin(zone: Zone, realMs: number): number {
    return simSToLocalMin(this.mode, zone, this.realMsToSimS(realMs));
  }
}
