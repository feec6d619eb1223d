// bench/lib/floor-route.ts: P4's floor target does the work it claims (hash, versions, a
// durable row), so that its cost is the cost of that work. A real SQLite file, Fastify inject.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { floorApp } from '../../bench/lib/floor-route.js';
import { makeJpeg } from '../../src/domain/index.js';

const BOUNDARY = 'floor-test';
const body = (data: unknown, page: Buffer): Buffer => Buffer.concat([
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="data"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(data)}\r\n`),
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="page"; filename="p1.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
  page,
  Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
]);

let dir = '';
afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('P4 floor route', () => {
  it('201 version 1, 200 for the same form again, 201 version 2 for a changed page; rows on disk', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ujibeban-floor-'));
    const file = join(dir, 'floor.sqlite');
    const app = floorApp(file, 'secret');
    const put = (b: Buffer) => app.inject({
      method: 'PUT', url: '/api/v1/tps/6201012001001/c1/pkwkp', payload: b,
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, authorization: 'Bearer x' },
    });
    const form = { administrasi: { suara_sah: 10 }, chart: { '1': 6, '2': 4 } };
    const first = await put(body(form, makeJpeg(50_000, 1)));
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ version: 1 });
    const again = await put(body(form, makeJpeg(50_000, 1)));
    expect(again.statusCode).toBe(200);
    expect(again.json().receipt).toBe(first.json().receipt);
    const changed = await put(body(form, makeJpeg(50_000, 2)));
    expect(changed.statusCode).toBe(201);
    expect(changed.json()).toMatchObject({ version: 2 });
    await app.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT version, data FROM up').all()).toEqual([{ version: 2, data: JSON.stringify(form) }]);
    db.close();
  });
});
