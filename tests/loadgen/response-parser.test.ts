import { describe, expect, it } from 'vitest';
import { FAILED, NEED_MORE, ResponseParser, type ParserSink } from '../../loadgen/http/response-parser.js';

class Collect implements ParserSink {
  status = 0;
  retryAfterS = -2;
  heads = 0;
  body: Buffer[] = [];
  onHead(status: number, retryAfterS: number): void { this.status = status; this.retryAfterS = retryAfterS; this.heads++; }
  onBody(buf: Buffer, start: number, end: number): void { this.body.push(Buffer.from(buf.subarray(start, end))); }
}

interface Parsed { status: number; body: string; keepAlive: boolean; heads: number; retryAfterS: number; result: 'complete' | 'more' | 'failed'; rest: number; error: string }

/** Feeds `pieces` one after another, each from its own buffer (as reads are), until done. */
function feed(pieces: Buffer[], isHead = false): Parsed {
  const sink = new Collect();
  const p = new ResponseParser(sink);
  p.reset(isHead);
  let result: Parsed['result'] = 'more';
  let rest = 0;
  for (let i = 0; i < pieces.length; i++) {
    // Parse from a larger reused buffer at an offset, like the socket read buffer.
    const buf = Buffer.alloc(pieces[i].length + 7, 0x78);
    pieces[i].copy(buf, 3);
    const r = p.execute(buf, 3, 3 + pieces[i].length);
    if (r === FAILED) { result = 'failed'; break; }
    if (r !== NEED_MORE) {
      result = 'complete';
      rest = 3 + pieces[i].length - r + pieces.slice(i + 1).reduce((a, b) => a + b.length, 0);
      break;
    }
  }
  return { status: sink.status, body: Buffer.concat(sink.body).toString('latin1'), keepAlive: p.keepAlive, heads: sink.heads,
    retryAfterS: sink.retryAfterS, result, rest, error: p.error };
}

function splits(raw: string): Buffer[][] {
  const b = Buffer.from(raw, 'latin1');
  const out: Buffer[][] = [[b]];
  for (let i = 1; i < b.length; i++) out.push([b.subarray(0, i), b.subarray(i)]);
  out.push([...b].map((c) => Buffer.from([c]))); // one byte per read
  return out;
}

const CL = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"hello":"x"}';
const CHUNKED = 'HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{"a":\r\n3;ext=1\r\n1, \r\n2\r\n2}\r\n0\r\nX-Trailer: y\r\n\r\n';

describe('response parser', () => {
  it('reads a Content-Length response identically at every split point and one byte per read', () => {
    for (const pieces of splits(CL)) {
      const r = feed(pieces);
      expect(r, `split ${pieces.map((p) => p.length).join('+')}`).toMatchObject({ result: 'complete', status: 200, body: '{"hello":"x"}', keepAlive: true, heads: 1, rest: 0 });
    }
  });

  it('reads a chunked response with extensions and trailers at every split point', () => {
    for (const pieces of splits(CHUNKED)) {
      const r = feed(pieces);
      expect(r, `split ${pieces.map((p) => p.length).join('+')}`).toMatchObject({ result: 'complete', status: 201, body: '{"a":1, 2}', keepAlive: true, rest: 0 });
    }
  });

  it('reports bytes after the response (the socket cannot be reused then)', () => {
    expect(feed([Buffer.from(CL + 'HTTP/1.1 200 OK\r\n')])).toMatchObject({ result: 'complete', rest: 17 });
  });

  it('has no body for 204, 304 and HEAD, even with a Content-Length', () => {
    expect(feed([Buffer.from('HTTP/1.1 204 No Content\r\nServer: nginx\r\nConnection: keep-alive\r\n\r\n')]))
      .toMatchObject({ result: 'complete', status: 204, body: '', keepAlive: true });
    expect(feed([Buffer.from('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n')])).toMatchObject({ result: 'complete', status: 304 });
    expect(feed([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n')], true)).toMatchObject({ result: 'complete', status: 200, body: '' });
    expect(feed([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n')], false)).toMatchObject({ result: 'more' });
  });

  it('skips 100 Continue and reads the final response after it', () => {
    const r = feed([Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 413 Payload Too Large\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}')]);
    expect(r).toMatchObject({ result: 'complete', status: 413, body: '{}', keepAlive: false, heads: 1 });
  });

  it('reads Connection: close, HTTP/1.0 and Retry-After', () => {
    expect(feed([Buffer.from('HTTP/1.1 503 Service Unavailable\r\nconnection: Close\r\nRetry-After: 7\r\ncontent-length: 0\r\n\r\n')]))
      .toMatchObject({ result: 'complete', status: 503, keepAlive: false, retryAfterS: 7 });
    expect(feed([Buffer.from('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n')])).toMatchObject({ result: 'complete', keepAlive: false });
    expect(feed([Buffer.from('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n')])).toMatchObject({ keepAlive: true });
    expect(feed([Buffer.from('HTTP/1.1 200 OK\r\nConnection: upgrade, close\r\nContent-Length: 0\r\n\r\n')])).toMatchObject({ keepAlive: false });
  });

  it('reads a body without length until the connection closes', () => {
    const sink = new Collect();
    const p = new ResponseParser(sink);
    p.reset(false);
    const b = Buffer.from('HTTP/1.1 200 OK\r\n\r\nabc');
    expect(p.execute(b, 0, b.length)).toBe(NEED_MORE);
    expect(p.execute(Buffer.from('def'), 0, 3)).toBe(NEED_MORE);
    expect(p.eof()).toBe(true);
    expect(p.keepAlive).toBe(false);
    expect(Buffer.concat(sink.body).toString()).toBe('abcdef');
  });

  it('says a cut response is not complete at EOF', () => {
    const p = new ResponseParser(new Collect());
    p.reset(false);
    const b = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    expect(p.execute(b, 0, b.length)).toBe(NEED_MORE);
    expect(p.eof()).toBe(false);
    expect(p.received).toBe(b.length);
  });

  it.each([
    ['garbage instead of a status line', 'HELLO WORLD\r\n\r\n'],
    ['a first byte that is not H', '<html>'],
    ['HTTP/2 status line', 'HTTP/2 200\r\n\r\n'],
    ['a non-numeric status', 'HTTP/1.1 2x0 OK\r\n\r\n'],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nbroken header\r\n\r\n'],
    ['a bad Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n'],
    ['two different Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['chunk data without its CRLF', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n'],
  ])('fails with HPE_INVALID on %s, at every split point', (_name, raw) => {
    for (const pieces of splits(raw)) {
      const r = feed(pieces);
      expect(r.result, `split ${pieces.map((p) => p.length).join('+')}`).toBe('failed');
      expect(r.error).toBe('HPE_INVALID');
    }
  });

  it('fails on a head over 64 KB instead of buffering forever', () => {
    const big = 'HTTP/1.1 200 OK\r\nX-Big: ' + 'a'.repeat(70_000);
    const r = feed([Buffer.from(big.slice(0, 30_000)), Buffer.from(big.slice(30_000))]);
    expect(r).toMatchObject({ result: 'failed', error: 'HPE_INVALID' });
  });
});
