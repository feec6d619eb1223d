import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { PhotoPool, isJpeg, endsWithEoi } from '../../src/domain/index.js';
import { buildUploadBody } from '../../loadgen/multipart.js';
import { send } from '../../loadgen/http/send.js';
import { createTransport } from '../../loadgen/http/transport.js';
import { urlOf } from './helpers.js';

interface Parsed { data: unknown; pages: Array<{ filename: string; mimetype: string; bytes: number; jpeg: boolean }> }

let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  await app.register(multipart, { limits: { fileSize: 10_000_000 } });
  app.put('/c1', async (req) => {
    const out: Parsed = { data: null, pages: [] };
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const buf = await part.toBuffer();
        out.pages.push({ filename: part.filename, mimetype: part.mimetype, bytes: buf.length, jpeg: isJpeg(buf) && endsWithEoi(buf) });
      } else if (part.fieldname === 'data') {
        // @fastify/multipart parses a part sent as application/json itself.
        out.data = typeof part.value === 'string' ? JSON.parse(part.value) : part.value;
      }
    }
    return out;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => { await app.close(); });

describe('multipart upload body', () => {
  it('frames a C1 upload with three photo pages that a multipart parser reads back intact', async () => {
    const photos = new PhotoPool({ lognormal: { median: 300_000, sigma: 0.5 } }, 1, 4);
    const pages = [photos.get(0), photos.get(1), photos.get(2)];
    const data = { administrasi: { suara_sah: 201 }, chart: { '1': 120, '2': 81 }, client: { app: 'ujibeban' } };
    const body = buildUploadBody(JSON.stringify(data), pages);
    // Photos travel by reference: the very Buffers of the pool are in the chunk list.
    for (const p of pages) expect(body.chunks).toContain(p);
    expect(body.contentLength).toBe(body.chunks.reduce((s, c) => s + c.length, 0));

    const pool = createTransport(urlOf(app), { connections: 1 });
    const res = await send(pool, {
      method: 'PUT', path: '/c1', parse: true, body: body.chunks,
      headers: { 'content-type': body.contentType, 'content-length': String(body.contentLength) },
    }, 10_000);
    await pool.close();
    expect(res.status).toBe(200);
    const parsed = res.body as Parsed;
    expect(parsed.data).toEqual(data);
    expect(parsed.pages.map((p) => p.bytes)).toEqual(pages.map((p) => p.length));
    expect(parsed.pages.every((p) => p.jpeg && p.mimetype === 'image/jpeg' && p.filename.endsWith('.jpg'))).toBe(true);
  });
});
