/**
 * Fuzz cases for the mock server's login and upload routes, as fast-check arbitraries (shared by
 * tests/reliability/server-fuzz.test.ts, a few hundred cases in `npm test`, and
 * scripts/fuzz-server.ts, the long run), and the oracle that judges one case.
 *
 * Every case is raw HTTP/1.1 bytes with a correct Content-Length (so a case never waits on the
 * server's timeouts), in seven families: login JSON, upload `data` JSON, multipart structure,
 * multipart byte mutations, URL codes, tokens and headers. The oracle: a 4xx in the API's error
 * shape with nothing stored (row counts of uploads, latest and the region counters unchanged),
 * or a correct success (login: a token of that TPS; upload: its receipt stored with that
 * version); never a 5xx, another status, a connection closed without an answer, or a hang.
 */
import fc from 'fast-check';
import { signToken } from '../../server/auth/token.js';
import { DEFAULT_PIN_SECRET, derivePin, generateForm, makeJpeg, type ContestId } from '../../src/domain/index.js';
import { errorShapeProblem, httpRequest, rawHttp, type DbReader } from './server-helpers.js';

export interface FuzzTarget {
  /** TPS codes with the contests held there (Barito Utara: both; Jakarta: pkwkp; DIY: pkwkk). */
  targets: Array<{ tps: string; contests: ContestId[] }>;
  tokenSecret: string;
  seed: number;
}

export type Family = 'login' | 'data' | 'parts' | 'bytes' | 'codes' | 'token' | 'headers';

export interface FuzzCase {
  family: Family;
  /** What was done, for the report of a failing case. */
  label: string;
  request: Buffer;
  /** Upload target (when the path is a well-formed one), for the success check. */
  tps: string | null;
  contest: string | null;
  /** True when success would be wrong (a bad token, a bad code). */
  mustReject: boolean;
  route: 'login' | 'upload';
}

const NOW_S = () => Math.floor(Date.now() / 1000);
const PAGE = makeJpeg(1200, 3);
const PAGE2 = makeJpeg(1500, 4);

function formJson(t: FuzzTarget, tps: string, contest: ContestId, revision: number): Record<string, any> {
  return generateForm({ seed: t.seed, tpsCode: tps, contest, meanDpt: 400, maxVoters: 600, revision }) as unknown as Record<string, any>;
}

// ---------- building blocks ----------

const weirdStrings = [
  '', ' ', '0', '-1', '1e400', '123456789012345678901234567890', 'null', 'true', '\u0000', '%00', '..%2F', '../../etc/passwd',
  '٦٢٠٥٠١١٠٠١٠٠١', '６２０５', '\u202e', '😀', 'a'.repeat(300), '<script>', "' OR 1=1 --", '__proto__', 'constructor',
];
const weirdNumbers = ['1e400', '-1e400', '1e21', '9007199254740993', '123456789012345678901234567890', '-0', '1.0', '1.5', '0x10', 'NaN', 'Infinity', '1E2'];

/** Any JSON text: values of every type, unicode, huge numbers, deep nesting. */
const jsonText: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.constantFrom(...weirdNumbers),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s)),
  fc.integer({ min: 1, max: 120_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1, max: 50_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
);

const jsonValueOrWeird: fc.Arbitrary<string> = fc.oneof(jsonText, fc.constantFrom(...weirdStrings).map((s) => JSON.stringify(s)));

/** Replaces the value at a JSON path of the serialized object with raw JSON text. */
function setRaw(obj: Record<string, any>, path: string[], raw: string): string {
  const marker = '__FUZZ_MARKER_7f3a__';
  const copy = structuredClone(obj);
  let o: any = copy;
  for (const k of path.slice(0, -1)) {
    if (o[k] === null || typeof o[k] !== 'object') o[k] = {};
    o = o[k];
  }
  o[path[path.length - 1]] = marker;
  return JSON.stringify(copy).replace(JSON.stringify(marker), () => raw);
}

// ---------- login ----------

function loginCases(t: FuzzTarget): fc.Arbitrary<FuzzCase> {
  const tps = fc.constantFrom(...t.targets.map((x) => x.tps));
  const contentType = fc.constantFrom(
    'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=utf-16',
    'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', 'application/json;;;',
  );
  const body = fc.oneof(
    // valid, or one field replaced by anything
    fc.tuple(tps, fc.constantFrom('tps', 'pin', 'extra', '__proto__', ''), jsonValueOrWeird, fc.boolean()).map(([tp, field, raw, keep]) => {
      const good = { tps: tp, pin: derivePin(DEFAULT_PIN_SECRET, tp) };
      return keep ? JSON.stringify(good) : setRaw(good, [field], raw);
    }),
    // wrong PIN, other TPS's PIN, pins of odd shape
    fc.tuple(tps, fc.constantFrom('000000', '999999', '12345', '1234567', ' 123456', '１２３４５６', '12345\u0000')).map(([tp, pin]) => JSON.stringify({ tps: tp, pin })),
    jsonText,
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
  return fc.tuple(body, contentType).map(([b, ct]) => {
    const headers: Record<string, string> = ct ? { 'content-type': ct } : {};
    return {
      family: 'login' as const, label: `login ${ct || '(no content-type)'} ${b.slice(0, 120)}`,
      request: httpRequest('POST', '/api/v1/auth/login', headers, Buffer.from(b, 'utf8')),
      tps: null, contest: null, mustReject: false, route: 'login' as const,
    };
  });
}

// ---------- multipart ----------

interface Part { name: string | null; body: Buffer; filename?: string; type?: string; extraHeader?: string }

function serialize(parts: Part[], boundary: string, o: { eol?: string; preamble?: string; epilogue?: string; closing?: boolean } = {}): Buffer {
  const eol = o.eol ?? '\r\n';
  const chunks: Buffer[] = [];
  if (o.preamble) chunks.push(Buffer.from(o.preamble + eol));
  for (const p of parts) {
    const disp = p.name === null ? 'form-data' : `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    const head = `--${boundary}${eol}Content-Disposition: ${disp}${eol}${p.type ? `Content-Type: ${p.type}${eol}` : ''}${p.extraHeader ? p.extraHeader + eol : ''}${eol}`;
    chunks.push(Buffer.from(head, 'utf8'), p.body, Buffer.from(eol));
  }
  if (o.closing !== false) chunks.push(Buffer.from(`--${boundary}--${eol}`));
  if (o.epilogue) chunks.push(Buffer.from(o.epilogue));
  return Buffer.concat(chunks);
}

const boundaryArb = fc.oneof(
  fc.constant('----ujibebanFuzz7'),
  fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?-]{1,70}$/),
);

/** A valid upload for one target, before any mutation. */
function validUpload(t: FuzzTarget) {
  const pairs = t.targets.flatMap((x) => x.contests.map((c) => ({ tps: x.tps, contest: c })));
  return fc.record({
    target: fc.constantFrom(...pairs),
    revision: fc.integer({ min: 0, max: 3 }),
    pages: fc.integer({ min: 1, max: 3 }),
    boundary: boundaryArb,
  });
}

function uploadRequest(tps: string, contest: string, token: string | null, contentType: string | null, body: Buffer, extra: Record<string, string> = {}, pathOverride?: string): Buffer {
  const headers: Record<string, string> = { ...extra };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (contentType !== null) headers['content-type'] = contentType;
  return httpRequest('PUT', pathOverride ?? `/api/v1/tps/${tps}/c1/${contest}`, headers, body);
}

const tokenFor = (t: FuzzTarget, tps: string, expS = NOW_S() + 3600): string => signToken(t.tokenSecret, tps, expS);

/** `data` part JSON: wrong types, extra fields, deep nesting, huge numbers, unicode. */
function dataCases(t: FuzzTarget): fc.Arbitrary<FuzzCase> {
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('field' as const), at: fc.constantFrom('administrasi', 'chart', 'client', 'extra'), sub: fc.nat(), raw: jsonValueOrWeird }),
    fc.record({ kind: fc.constant('number' as const), sub: fc.nat(), raw: fc.constantFrom(...weirdNumbers) }),
    fc.record({ kind: fc.constant('chartKey' as const), key: fc.oneof(fc.constantFrom(...weirdStrings), fc.string({ unit: 'binary', maxLength: 14 })) }),
    fc.record({ kind: fc.constant('client' as const), raw: jsonText }),
    fc.record({ kind: fc.constant('text' as const), raw: fc.oneof(jsonText, fc.string({ unit: 'binary', maxLength: 300 })) }),
    fc.record({ kind: fc.constant('none' as const) }),
  );
  return fc.tuple(validUpload(t), mutation, fc.constantFrom(undefined, 'application/json', 'text/plain; charset=latin1')).map(([u, m, partType]) => {
    const form = formJson(t, u.target.tps, u.target.contest, u.revision);
    let data: string;
    let label: string;
    if (m.kind === 'field') {
      const keys = m.at === 'administrasi' ? Object.keys(form.administrasi) : m.at === 'chart' ? Object.keys(form.chart) : [];
      const path = keys.length > 0 && m.sub % 3 !== 0 ? [m.at, keys[m.sub % keys.length]] : [m.at];
      data = setRaw(form, path, m.raw);
      label = `data ${path.join('.')} = ${m.raw.slice(0, 80)}`;
    } else if (m.kind === 'number') {
      const keys = Object.keys(form.administrasi);
      const path = ['administrasi', keys[m.sub % keys.length]];
      data = setRaw(form, path, m.raw);
      label = `data ${path.join('.')} = ${m.raw}`;
    } else if (m.kind === 'chartKey') {
      const first = Object.keys(form.chart)[0];
      const chart: Record<string, number> = { ...form.chart };
      const v = chart[first];
      delete chart[first];
      chart[m.key] = v;
      data = JSON.stringify({ ...form, chart });
      label = `data chart key ${JSON.stringify(m.key)}`;
    } else if (m.kind === 'client') {
      data = setRaw(form, ['client'], m.raw);
      label = `data client = ${m.raw.slice(0, 80)} (${m.raw.length} chars)`;
    } else if (m.kind === 'text') {
      data = m.raw;
      label = `data text ${m.raw.slice(0, 80)}`;
    } else {
      data = JSON.stringify(form);
      label = 'data valid';
    }
    const pages: Part[] = Array.from({ length: u.pages }, (_, i) => ({ name: 'page', body: i % 2 ? PAGE2 : PAGE, filename: `p${i}.jpg`, type: 'image/jpeg' }));
    const body = serialize([{ name: 'data', body: Buffer.from(data, 'utf8'), type: partType }, ...pages], u.boundary);
    return {
      family: 'data' as const, label, tps: u.target.tps, contest: u.target.contest, mustReject: false, route: 'upload' as const,
      request: uploadRequest(u.target.tps, u.target.contest, tokenFor(t, u.target.tps), `multipart/form-data; boundary=${u.boundary}`, body),
    };
  });
}

/** Multipart structure: duplicate, missing, unknown, unnamed parts, odd headers, bare LF, odd content types. */
function partsCases(t: FuzzTarget): fc.Arbitrary<FuzzCase> {
  const partKind = fc.constantFrom('data', 'page', 'page', 'notJpeg', 'emptyPage', 'truncatedJpeg', 'unknown', 'noName', 'hugeHeader', 'oddFilename', 'dataAsPage');
  const ctKind = fc.constantFrom('plain', 'plain', 'plain', 'quoted', 'upper', 'charsetFirst', 'missingBoundary', 'emptyBoundary', 'wrongBoundary', 'mixed', 'json', 'none', 'longBoundary', 'twoBoundaries');
  return fc.record({
    u: validUpload(t),
    kinds: fc.array(partKind, { minLength: 0, maxLength: 7 }),
    ct: ctKind,
    eol: fc.constantFrom('\r\n', '\r\n', '\r\n', '\n'),
    preamble: fc.constantFrom(undefined, 'preamble text', '\r\n'),
    epilogue: fc.constantFrom(undefined, 'epilogue', '--'),
    closing: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
  }).map(({ u, kinds, ct, eol, preamble, epilogue, closing }) => {
    const form = formJson(t, u.target.tps, u.target.contest, u.revision);
    const parts: Part[] = kinds.map((k) => {
      switch (k) {
        case 'data': return { name: 'data', body: Buffer.from(JSON.stringify(form)) };
        case 'page': return { name: 'page', body: PAGE, filename: 'p.jpg', type: 'image/jpeg' };
        case 'notJpeg': return { name: 'page', body: Buffer.from('GIF89a not a jpeg at all'), filename: 'p.gif', type: 'image/gif' };
        case 'emptyPage': return { name: 'page', body: Buffer.alloc(0), filename: 'p.jpg', type: 'image/jpeg' };
        case 'truncatedJpeg': return { name: 'page', body: PAGE.subarray(0, PAGE.length - 7), filename: 'p.jpg', type: 'image/jpeg' };
        case 'unknown': return { name: 'signature', body: Buffer.from('x') };
        case 'noName': return { name: null, body: Buffer.from('x') };
        case 'hugeHeader': return { name: 'page', body: PAGE, filename: 'p.jpg', type: 'image/jpeg', extraHeader: `X-Pad: ${'a'.repeat(9000)}` };
        case 'oddFilename': return { name: 'page', body: PAGE, filename: '../../etc/passwd\u0000.jpg', type: 'image/jpeg; name="x"' };
        default: return { name: 'page', body: Buffer.from(JSON.stringify(form)), type: 'application/json' };
      }
    });
    const b = u.boundary;
    const contentType = {
      plain: `multipart/form-data; boundary=${b}`, quoted: `multipart/form-data; boundary="${b}"`,
      upper: `MULTIPART/FORM-DATA; BOUNDARY=${b}`, charsetFirst: `multipart/form-data; charset=utf-8; boundary=${b}`,
      missingBoundary: 'multipart/form-data', emptyBoundary: 'multipart/form-data; boundary=', wrongBoundary: `multipart/form-data; boundary=${b}X`,
      mixed: `multipart/mixed; boundary=${b}`, json: 'application/json', none: null,
      longBoundary: `multipart/form-data; boundary=${'b'.repeat(200)}`, twoBoundaries: `multipart/form-data; boundary=zz; boundary=${b}`,
    }[ct];
    const body = serialize(parts, b, { eol, preamble, epilogue, closing });
    return {
      family: 'parts' as const, label: `parts [${kinds.join(',')}] ct=${ct} eol=${JSON.stringify(eol)} closing=${closing}`,
      tps: u.target.tps, contest: u.target.contest, mustReject: false, route: 'upload' as const,
      request: uploadRequest(u.target.tps, u.target.contest, tokenFor(t, u.target.tps), contentType, body),
    };
  });
}

/** Byte-level mutations of a valid multipart body: flips, deletions, duplications, insertions near delimiters, truncation. */
function bytesCases(t: FuzzTarget): fc.Arbitrary<FuzzCase> {
  const snippet = (b: string) => [
    '\r\n', '\n', '\r', '--', `--${b}`, `\r\n--${b}\r\n`, `\r\n--${b}--\r\n`, `--${b}--`,
    'Content-Disposition: form-data; name="data"\r\n\r\n', 'Content-Disposition: form-data; name="page"; filename="x.jpg"\r\n\r\n',
    '\r\n\r\n', '\u0000', '\xff\xd8\xff', '\xff\xd9', 'X'.repeat(9000), '{', '"',
  ];
  const op = fc.record({
    op: fc.constantFrom('flip', 'delete', 'dup', 'insert', 'truncate'),
    nearDelim: fc.boolean(),
    k: fc.nat(), off: fc.integer({ min: -6, max: 6 }), len: fc.integer({ min: 1, max: 300 }),
    byte: fc.integer({ min: 0, max: 255 }), s: fc.nat(),
  });
  return fc.tuple(validUpload(t), fc.array(op, { minLength: 1, maxLength: 4 })).map(([u, ops]) => {
    const form = formJson(t, u.target.tps, u.target.contest, u.revision);
    const pages: Part[] = Array.from({ length: u.pages }, () => ({ name: 'page', body: PAGE, filename: 'p.jpg', type: 'image/jpeg' }));
    let body = serialize([{ name: 'data', body: Buffer.from(JSON.stringify(form)) }, ...pages], u.boundary);
    const labels: string[] = [];
    for (const o of ops) {
      const delims: number[] = [];
      for (let i = body.indexOf(`--${u.boundary}`); i >= 0; i = body.indexOf(`--${u.boundary}`, i + 1)) delims.push(i);
      const len = Math.max(1, body.length);
      const at = o.nearDelim && delims.length > 0 ? Math.min(len - 1, Math.max(0, delims[o.k % delims.length] + o.off)) : o.k % len;
      const ins = snippet(u.boundary)[o.s % snippet(u.boundary).length];
      if (o.op === 'flip') body = Buffer.concat([body.subarray(0, at), Buffer.from([o.byte]), body.subarray(at + 1)]);
      else if (o.op === 'delete') body = Buffer.concat([body.subarray(0, at), body.subarray(at + o.len)]);
      else if (o.op === 'dup') body = Buffer.concat([body.subarray(0, at + o.len), body.subarray(at, at + o.len), body.subarray(at + o.len)]);
      else if (o.op === 'insert') body = Buffer.concat([body.subarray(0, at), Buffer.from(ins, 'latin1'), body.subarray(at)]);
      else body = body.subarray(0, at);
      labels.push(`${o.op}@${at}${o.op === 'insert' ? `:${JSON.stringify(ins.slice(0, 20))}` : o.op === 'flip' ? `=${o.byte}` : o.op === 'truncate' ? '' : `+${o.len}`}`);
    }
    return {
      family: 'bytes' as const, label: `bytes ${labels.join(' ')}`, tps: u.target.tps, contest: u.target.contest, mustReject: false, route: 'upload' as const,
      request: uploadRequest(u.target.tps, u.target.contest, tokenFor(t, u.target.tps), `multipart/form-data; boundary=${u.boundary}`, body),
    };
  });
}

/** URL segments: overlong, non-digits, path tricks, encodings. */
function codesCases(t: FuzzTarget): fc.Arbitrary<FuzzCase> {
  const tricks = [
    '..%2F..%2Fadmin%2Ffaults', '..%2f', '%2e%2e', '..', '.', '%00', '6205011001001%00', '6205011001001%2F..', '%20',
    '62050110010011', '620501100100', '0000000000000', '9999999999999', '6205011001001;x', '6205011001001?x=1', '%E0%A4%A', '%ZZ',
    '%F0%9F%98%80', '%D9%A6%D9%A2', 'pkwkp%00', 'PKWKP', 'pkwkp/', 'ppwp', 'constructor', '__proto__', '1'.repeat(99), '1'.repeat(101), '9'.repeat(2000),
  ];
  const seg = fc.oneof(fc.constantFrom(...tricks), fc.stringMatching(/^[0-9]{0,30}$/), fc.string({ unit: 'grapheme-ascii', maxLength: 30 }).map(encodeURIComponent));
  return fc.record({
    u: validUpload(t),
    which: fc.constantFrom('tps', 'contest', 'both', 'raw'),
    a: seg, b: seg,
    raw: fc.constantFrom('/api/v1/tps/../../admin/faults', '/api/v1/tps//c1/', '/api/v1/tps/%2e%2e/c1/pkwkp', '/api/v1/tps/6205011001001/c1/pkwkp/../pkwkk', '//api/v1/tps/x/c1/y', '/api/v1/tps/x/c1/y?'.padEnd(5000, 'z')),
  }).map(({ u, which, a, b, raw }) => {
    const tps = which === 'tps' || which === 'both' ? a : u.target.tps;
    const contest = which === 'contest' || which === 'both' ? b : u.target.contest;
    const path = which === 'raw' ? raw : `/api/v1/tps/${tps}/c1/${contest}`;
    const form = formJson(t, u.target.tps, u.target.contest, 0);
    const body = serialize([{ name: 'data', body: Buffer.from(JSON.stringify(form)) }, { name: 'page', body: PAGE, filename: 'p.jpg', type: 'image/jpeg' }], u.boundary);
    return {
      family: 'codes' as const, label: `codes ${path.slice(0, 160)}`, tps: null, contest: null, mustReject: true, route: 'upload' as const,
      request: uploadRequest(u.target.tps, u.target.contest, tokenFor(t, u.target.tps), `multipart/form-data; boundary=${u.boundary}`, body, {}, path),
    };
  });
}

/** Authorization: forged, truncated, another TPS's, expired, garbage. */
function tokenCases(t: FuzzTarget): fc.Arbitrary<FuzzCase> {
  const others = t.targets.map((x) => x.tps);
  const kind = fc.constantFrom('forged', 'truncated', 'otherTps', 'expired', 'garbage', 'flipSig', 'noBearer', 'basic', 'missing', 'lowercase', 'long', 'farFuture', 'swappedTps');
  return fc.record({ u: validUpload(t), kind, g: fc.string({ unit: 'binary', maxLength: 120 }), n: fc.nat() }).map(({ u, kind: k, g, n }) => {
    const tps = u.target.tps;
    const good = tokenFor(t, tps);
    const other = others.find((x) => x !== tps)!;
    const auth: string | null = {
      forged: `Bearer ${signToken('not-the-secret', tps, NOW_S() + 3600)}`,
      truncated: `Bearer ${good.slice(0, Math.max(0, good.length - 1 - (n % good.length)))}`,
      otherTps: `Bearer ${tokenFor(t, other)}`,
      expired: `Bearer ${tokenFor(t, tps, NOW_S() - 1 - (n % 100_000))}`,
      garbage: `Bearer ${g.replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, '')}`,
      flipSig: `Bearer ${good.slice(0, -2)}${good.endsWith('AA') ? 'AB' : 'AA'}`,
      noBearer: good,
      basic: `Basic ${Buffer.from(`${tps}:123456`).toString('base64')}`,
      missing: null,
      lowercase: `bearer ${good}`,
      long: `Bearer ${good}${'A'.repeat(5000)}`,
      farFuture: `Bearer ${good.replace(/\.(\d+)\./, '.999999999999.')}`,
      swappedTps: `Bearer ${good.replace(tps, other)}`,
    }[k];
    const form = formJson(t, tps, u.target.contest, 0);
    const body = serialize([{ name: 'data', body: Buffer.from(JSON.stringify(form)) }, { name: 'page', body: PAGE, filename: 'p.jpg', type: 'image/jpeg' }], u.boundary);
    const headers: Record<string, string> = { 'content-type': `multipart/form-data; boundary=${u.boundary}` };
    if (auth !== null) headers.authorization = auth;
    return {
      family: 'token' as const, label: `token ${k}`, tps, contest: u.target.contest, mustReject: k !== 'lowercase', route: 'upload' as const,
      request: httpRequest('PUT', `/api/v1/tps/${tps}/c1/${u.target.contest}`, headers, body),
    };
  });
}

/** Headers: huge values, many headers, odd names, duplicated Content-Type, Expect, chunked. */
function headersCases(t: FuzzTarget): fc.Arbitrary<FuzzCase> {
  const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
  const value = fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, '')), fc.integer({ min: 1000, max: 40_000 }).map((n) => 'v'.repeat(n)));
  return fc.record({
    u: validUpload(t),
    extra: fc.array(fc.tuple(name, value), { maxLength: 40 }),
    special: fc.constantFrom('none', 'expect', 'dupType', 'manyHeaders', 'hugeCookie', 'xff'),
    login: fc.boolean(),
  }).map(({ u, extra, special, login }) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of extra) if (!['host', 'content-length', 'connection', 'transfer-encoding', 'authorization', 'content-type', 'expect'].includes(k)) headers[k] = v;
    if (special === 'expect') headers.expect = '100-continue';
    if (special === 'manyHeaders') for (let i = 0; i < 300; i++) headers[`x-h${i}`] = String(i);
    if (special === 'hugeCookie') headers.cookie = 'c='.padEnd(20_000, 'x');
    if (special === 'xff') headers['x-forwarded-for'] = '10.1.2.3';
    const tps = u.target.tps;
    if (login) {
      const body = Buffer.from(JSON.stringify({ tps, pin: derivePin(DEFAULT_PIN_SECRET, tps) }));
      let req = httpRequest('POST', '/api/v1/auth/login', { ...headers, 'content-type': 'application/json' }, body);
      if (special === 'dupType') req = Buffer.from(req.toString('latin1').replace('\r\n\r\n', '\r\ncontent-type: text/plain\r\n\r\n'), 'latin1');
      return { family: 'headers' as const, label: `headers login ${special} +${extra.length}`, tps: null, contest: null, mustReject: false, route: 'login' as const, request: req };
    }
    const form = formJson(t, tps, u.target.contest, u.revision);
    const body = serialize([{ name: 'data', body: Buffer.from(JSON.stringify(form)) }, { name: 'page', body: PAGE, filename: 'p.jpg', type: 'image/jpeg' }], u.boundary);
    let req = uploadRequest(tps, u.target.contest, tokenFor(t, tps), `multipart/form-data; boundary=${u.boundary}`, body, headers);
    if (special === 'dupType') req = Buffer.from(req.toString('latin1').replace('\r\n\r\n', '\r\ncontent-type: application/json\r\n\r\n'), 'latin1');
    return { family: 'headers' as const, label: `headers upload ${special} +${extra.length}`, tps, contest: u.target.contest, mustReject: false, route: 'upload' as const, request: req };
  });
}

export function fuzzCase(t: FuzzTarget): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    { arbitrary: loginCases(t), weight: 2 },
    { arbitrary: dataCases(t), weight: 3 },
    { arbitrary: partsCases(t), weight: 3 },
    { arbitrary: bytesCases(t), weight: 4 },
    { arbitrary: codesCases(t), weight: 2 },
    { arbitrary: tokenCases(t), weight: 2 },
    { arbitrary: headersCases(t), weight: 1 },
  );
}

// ---------- the oracle ----------

export interface Outcome {
  /** "201", "422 INVALID_FORM", "no answer (closed)", ... */
  key: string;
  status: number;
  /** What is wrong, or null. */
  problem: string | null;
  ms: number;
}

/** Sends one case and judges it (row counts read before and after through `db`). */
export async function judge(port: number, db: DbReader, c: FuzzCase, timeoutMs = 10_000): Promise<Outcome> {
  const before = db.counts();
  const r = await rawHttp(port, c.request, { timeoutMs });
  const after = db.counts();
  const code = r.json && typeof r.json.code === 'string' ? ` ${r.json.code}` : '';
  const key = r.status === 0 ? `no answer (${r.end})` : `${r.status}${code}`;
  const out = (problem: string | null): Outcome => ({ key, status: r.status, problem, ms: r.ms });
  const same = JSON.stringify(before) === JSON.stringify(after);
  if (r.status === 0) return out(r.end === 'timeout' ? `no answer within ${timeoutMs} ms (hang)` : 'connection closed without an answer');
  if (r.status >= 500) return out(`server error ${r.status}: ${r.text.slice(0, 200)}`);
  if (r.status >= 400 && r.status < 500) {
    const shape = errorShapeProblem(r.status, r.json);
    if (shape) return out(`${r.status} not in the error shape: ${shape}: ${r.text.slice(0, 200)}`);
    if (!same) return out(`refused (${r.status}${code}) but the store changed: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
    return out(null);
  }
  if (r.status === 200 || r.status === 201) {
    if (c.mustReject) return out(`accepted (${r.status}) a request that must be refused`);
    if (c.route === 'login') {
      if (r.status !== 200 || typeof r.json?.token !== 'string' || !/^v1\.\d{13}\.\d+\.[A-Za-z0-9_-]{43}$/.test(r.json.token)) return out(`login success without a token: ${r.text.slice(0, 200)}`);
      if (!same) return out('a login changed the store');
      return out(null);
    }
    const { receipt, version } = r.json ?? {};
    if (typeof receipt !== 'string' || !Number.isInteger(version)) return out(`upload success without receipt/version: ${r.text.slice(0, 200)}`);
    if (!c.tps || !c.contest) return out('upload success on a path the case did not aim at');
    const stored = db.versionOf(c.tps, c.contest, receipt);
    if (stored !== version) return out(`receipt ${receipt} acknowledged as version ${version}, stored: ${stored}`);
    if (r.status === 201 && after.uploads !== before.uploads + 1) return out(`201 but uploads rows ${before.uploads} -> ${after.uploads}`);
    if (r.status === 200 && !same) return out('200 (identical) but the store changed');
    return out(null);
  }
  return out(`unexpected status ${r.status}`);
}
