/**
 * The per-province figures (src/domain/data/provinces.csv, from KPU data; see FACTS in the
 * README): the one table the whole hierarchy is synthesized from.
 */
import { readFileSync } from 'node:fs';
import { packageFile } from './package-root.js';
import type { Zone } from './zones.js';

export interface Province {
  code: string;
  name: string;
  zone: Zone;
  kabkota: number;
  kecamatan: number;
  desa: number;
  tpsPemilu2024: number;
  tpsPilkada2024: number;
  dptPemilu2024: number;
}

const COLUMNS = [
  'province_code', 'name', 'time_zone', 'kabkota', 'kecamatan', 'desa_kelurahan',
  'tps_pemilu_2024', 'tps_pilkada_2024', 'tps_pilkada_2024_source', 'dpt_pemilu_2024',
] as const;

export function parseProvincesCsv(text: string, file = 'provinces.csv'): Province[] {
  const lines = text.trim().split(/\r?\n/);
  const header = lines[0].split(',');
  if (header.join(',') !== COLUMNS.join(',')) {
    throw new Error(`${file}: header must be ${COLUMNS.join(',')}`);
  }
  return lines.slice(1).map((line, i) => {
    const f = line.split(',');
    const num = (k: number): number => {
      const v = Number(f[k]);
      if (!Number.isInteger(v) || v < 0) {
        throw new Error(`${file}:${i + 2}: ${COLUMNS[k]} must be a whole number, got "${f[k]}"`);
      }
      return v;
    };
    const zone = f[2];
    if (zone !== 'WIB' && zone !== 'WITA' && zone !== 'WIT') {
      throw new Error(`${file}:${i + 2}: time_zone must be WIB, WITA or WIT, got "${zone}"`);
    }
    return {
      code: f[0], name: f[1], zone, kabkota: num(3), kecamatan: num(4), desa: num(5),
      tpsPemilu2024: num(6), tpsPilkada2024: num(7), dptPemilu2024: num(9),
    };
  });
}

let cached: Province[] | null = null;

export function provinces(): readonly Province[] {
  cached ??= parseProvincesCsv(
    readFileSync(packageFile('src', 'domain', 'data', 'provinces.csv'), 'utf8'),
  );
  return cached;
}

export function provinceByCode(code: string): Province | undefined {
  return provinces().find((p) => p.code === code);
}
