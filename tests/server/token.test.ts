/**
 * Login tokens (server/auth/token.ts): the verifier's cache of checked signatures answers as the
 * full check does: a cached token still expires, a forged or foreign one is refused, the cache
 * stays within its bound.
 */
import { describe, expect, it } from 'vitest';
import { signToken, TokenVerifier, verifyToken } from '../../server/auth/token.js';

const TPS = '6205011001001';

describe('TokenVerifier', () => {
  it('answers like verifyToken, and a cached token still expires', () => {
    const v = new TokenVerifier('secret');
    const auth = `Bearer ${signToken('secret', TPS, 1000)}`;
    expect(v.verify(auth, 900)).toBe(TPS);
    expect(v.verify(auth, 999)).toBe(TPS); // from the cache
    expect(() => v.verify(auth, 1000)).toThrow(expect.objectContaining({ code: 'EXPIRED_TOKEN' }));
    expect(() => verifyToken('secret', auth, 1000)).toThrow(expect.objectContaining({ code: 'EXPIRED_TOKEN' }));
  });

  it('refuses forged, foreign, malformed and missing tokens every time', () => {
    const v = new TokenVerifier('secret');
    const good = signToken('secret', TPS, 1000);
    const foreign = `Bearer ${signToken('other', TPS, 1000)}`;
    const forged = `Bearer ${good.slice(0, -2)}${good.endsWith('AA') ? 'BB' : 'AA'}`;
    v.verify(`Bearer ${good}`, 0);
    for (let i = 0; i < 2; i++) {
      expect(() => v.verify(foreign, 0)).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
      expect(() => v.verify(forged, 0)).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
      expect(() => v.verify('Bearer nonsense', 0)).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
      expect(() => v.verify(undefined, 0)).toThrow(expect.objectContaining({ code: 'MISSING_TOKEN' }));
    }
  });

  it('refuses every other spelling of a valid signature (the last character has 2 unused bits)', () => {
    const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let exp = 1000; exp < 1010; exp++) {
      const good = signToken('secret', TPS, exp);
      const last = B64URL.indexOf(good.at(-1)!);
      for (const low of [1, 2, 3]) {
        // Same decoded bytes, another text: accepted by a byte comparison, refused by ours.
        const alias = `${good.slice(0, -1)}${B64URL[last ^ low]}`;
        expect(Buffer.from(alias.split('.')[3], 'base64url')).toEqual(Buffer.from(good.split('.')[3], 'base64url'));
        expect(() => verifyToken('secret', `Bearer ${alias}`, 0)).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
        expect(() => new TokenVerifier('secret').verify(`Bearer ${alias}`, 0)).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
      }
      expect(verifyToken('secret', `Bearer ${good}`, 0)).toBe(TPS);
    }
  });

  it('keeps at most its bound of tokens, and an evicted one is checked again', () => {
    const v = new TokenVerifier('secret', 2);
    const auths = ['6205011001001', '6205011001002', '6205011001003'].map((t) => `Bearer ${signToken('secret', t, 1000)}`);
    for (const a of auths) v.verify(a, 0);
    expect((v as unknown as { cache: Map<string, unknown> }).cache.size).toBe(2);
    expect(v.verify(auths[0], 0)).toBe('6205011001001');
  });
});
