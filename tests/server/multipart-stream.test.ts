/**
 * The hand-written multipart reader against arbitrary chunk boundaries: whatever way the
 * network splits a body, the same parts and bytes come out.
 */
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMultipart, boundaryOf, MultipartReader } from '../../server/upload/multipart-stream.js';
import { rawMultipart } from './helpers.js';

async function parse(body: Buffer, boundary: string, cuts: number[]): Promise<Array<{ name: string; filename: string | null; bytes: Buffer }>> {
  const raw = new PassThrough();
  const parts: Array<{ name: string; filename: string | null; bytes: Buffer }> = [];
  const done = readMultipart(raw as unknown as IncomingMessage, boundary, (h) => {
    const chunks: Buffer[] = [];
    return {
      data: (c) => chunks.push(Buffer.from(c)),
      end: () => parts.push({ name: h.name, filename: h.filename, bytes: Buffer.concat(chunks) }),
    };
  }, () => {});
  let at = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    raw.write(body.subarray(at, cut));
    at = cut;
  }
  raw.end(body.subarray(at));
  await done;
  return parts;
}

describe('streaming multipart reader', () => {
  it('reads a boundary from the content type', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc')).toBe('abc');
    expect(boundaryOf('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(boundaryOf('application/json')).toBeNull();
  });

  it('yields the same parts however the body is split into chunks', async () => {
    // Page bytes that contain CRLFs and partial delimiters, the hard cases for a scanner.
    const page = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('\r\n--\r\n------ujibeban\r\n'), Buffer.alloc(300, 0x0d), Buffer.from([0xff, 0xd9])]);
    const { body, contentType } = rawMultipart([
      { name: 'data', body: '{"a":1}' },
      { name: 'page', body: page, filename: 'p1.jpg', type: 'image/jpeg' },
      { name: 'page', body: Buffer.alloc(0), filename: 'empty.jpg' },
    ]);
    const boundary = boundaryOf(contentType)!;
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 1, max: body.length - 1 }), { maxLength: 12 }), async (cuts) => {
      const parts = await parse(body, boundary, cuts);
      expect(parts.map((p) => p.name)).toEqual(['data', 'page', 'page']);
      expect(parts[0].bytes.toString()).toBe('{"a":1}');
      expect(parts[1].filename).toBe('p1.jpg');
      expect(parts[1].bytes.equals(page)).toBe(true);
      expect(parts[2].bytes.length).toBe(0);
    }), { numRuns: 200 });
  });

  it('finds a delimiter split across two chunks at every position (the seam probe)', async () => {
    const page = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(200, 0x2d), Buffer.from('\r\n--'), Buffer.from([0xff, 0xd9])]);
    const { body, contentType } = rawMultipart([{ name: 'data', body: '{"a":1}' }, { name: 'page', body: page, filename: 'p.jpg' }]);
    const boundary = boundaryOf(contentType)!;
    for (let cut = 1; cut < body.length; cut++) {
      for (const cuts of [[cut], [cut, Math.min(body.length - 1, cut + 90)]]) {
        const parts = await parse(body, boundary, cuts);
        expect(parts.map((p) => p.name), `cut ${cuts}`).toEqual(['data', 'page']);
        expect(parts[1].bytes.equals(page), `cut ${cuts}`).toBe(true);
      }
    }
  });

  it('refuses a body that ends without its closing delimiter', async () => {
    const { body, contentType } = rawMultipart([{ name: 'data', body: '{}' }]);
    const cut = body.subarray(0, body.length - 10);
    await expect(parse(cut, boundaryOf(contentType)!, [])).rejects.toMatchObject({ code: 'MALFORMED_MULTIPART' });
  });

  it('stops at the first error a part handler throws: later chunks reach no handler', async () => {
    const { body, contentType } = rawMultipart([{ name: 'data', body: '{}' }, { name: 'page', body: Buffer.alloc(5000, 1), filename: 'p.jpg' }]);
    const raw = new PassThrough();
    const seen: string[] = [];
    const done = readMultipart(raw as unknown as IncomingMessage, boundaryOf(contentType)!, (h) => ({
      data: () => {
        seen.push(h.name);
        if (h.name === 'page') throw new Error('refused');
      },
      end: () => seen.push(`end ${h.name}`),
    }), () => {});
    for (let at = 0; at < body.length; at += 1000) raw.write(body.subarray(at, at + 1000));
    raw.end();
    await expect(done).rejects.toThrow('refused');
    expect(seen).toEqual(['data', 'end data', 'page']);
  });

  it('frames a body pushed chunk by chunk without a stream, and says why it may not end early', () => {
    const { body, contentType } = rawMultipart([{ name: 'data', body: '{"a":1}' }]);
    const names: string[] = [];
    const reader = new MultipartReader(boundaryOf(contentType)!, (h) => ({ data: () => {}, end: () => names.push(h.name) }));
    expect(reader.endError()).toMatchObject({ code: 'MISSING_DATA' });
    reader.push(body.subarray(0, 50));
    expect(reader.endError()).toMatchObject({ code: 'MALFORMED_MULTIPART' });
    reader.push(body.subarray(50));
    expect(reader.done).toBe(true);
    expect(reader.endError()).toBeNull();
    expect(names).toEqual(['data']);
  });
});
