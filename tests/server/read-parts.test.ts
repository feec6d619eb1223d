/**
 * The upload body reader's page checks (JPEG framing FF D8 FF ... FF D9, size, sha256) hold
 * wherever the network splits the page: a byte at a time at its start and end included.
 */
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/domain/index.js';
import type { ServerLimits } from '../../server/options.js';
import { readParts } from '../../server/upload/read-parts.js';
import { rawMultipart } from './helpers.js';

const LIMITS = { maxPages: 5, maxPageBytes: 1024 * 1024, maxBodyBytes: 8 * 1024 * 1024 } as ServerLimits;

/** Reads `page` as an upload body sent in chunks cut at `cuts` (offsets into the body). */
async function read(page: Buffer, cuts: (pageStart: number, pageEnd: number) => number[]) {
  const { body, contentType } = rawMultipart([
    { name: 'data', body: '{"administrasi":{}}', type: 'application/json' },
    { name: 'page', body: page, filename: 'p1.jpg', type: 'image/jpeg' },
  ]);
  const start = body.indexOf(page);
  const raw = new PassThrough();
  const request = { headers: { 'content-type': contentType, 'content-length': String(body.length) }, raw } as unknown as FastifyRequest;
  const parts = readParts(request, LIMITS, null);
  let at = 0;
  for (const cut of [...new Set(cuts(start, start + page.length))].filter((c) => c > 0 && c < body.length).sort((a, b) => a - b)) {
    raw.write(body.subarray(at, cut));
    at = cut;
  }
  raw.end(body.subarray(at));
  return parts;
}

const byteByByte = (s: number, e: number): number[] => [s, s + 1, s + 2, s + 3, e - 3, e - 2, e - 1, e, e + 1];

describe('readParts page checks across chunk boundaries', () => {
  const jpeg = makeJpeg(5000, 3);
  const sha256 = createHash('sha256').update(jpeg).digest('hex');

  it('accepts a JPEG and hashes it the same however it is split', async () => {
    for (const cuts of [() => [], byteByByte, (s: number) => [s + 1], (_s: number, e: number) => [e - 1], (s: number, e: number) => [s + 2, e - 2]]) {
      const { data, pages } = await read(jpeg, cuts);
      expect(data).toBe('{"administrasi":{}}');
      expect(pages).toEqual([{ sha256, bytes: jpeg.length }]);
    }
  });

  it('refuses a page that does not start with FF D8 FF, however the first bytes arrive', async () => {
    for (const bad of [0, 1, 2]) {
      const page = Buffer.from(jpeg);
      page[bad] = 0x00;
      await expect(read(page, byteByByte)).rejects.toMatchObject({ code: 'NOT_JPEG' });
      await expect(read(page, () => [])).rejects.toMatchObject({ code: 'NOT_JPEG' });
    }
  });

  it('refuses a page that does not end with FF D9 (truncated), however the last bytes arrive', async () => {
    for (const page of [jpeg.subarray(0, jpeg.length - 1), jpeg.subarray(0, jpeg.length - 2), Buffer.concat([jpeg, Buffer.from([0x00])])]) {
      await expect(read(page, byteByByte)).rejects.toMatchObject({ code: 'NOT_JPEG' });
      await expect(read(page, () => [])).rejects.toMatchObject({ code: 'NOT_JPEG' });
    }
    // The end bytes split one per chunk: the last two are still seen together.
    const ends = Buffer.concat([jpeg.subarray(0, jpeg.length - 2), Buffer.from([0xd9, 0xff])]);
    await expect(read(ends, byteByByte)).rejects.toMatchObject({ code: 'NOT_JPEG' });
  });

  it('refuses a page of fewer than four bytes', async () => {
    await expect(read(Buffer.from([0xff, 0xd8, 0xff]), byteByByte)).rejects.toMatchObject({ code: 'NOT_JPEG' });
  });
});
