import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { checkTarget, isLoopbackHost, isLoopbackUrl } from '../../src/cli/target.js';
import { defaultWorkers } from '../../src/cli/commands/run.js';

describe('loopback targets', () => {
  it('knows loopback from the rest', () => {
    for (const h of ['127.0.0.1', '127.9.8.7', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['10.0.0.1', '192.168.1.1', 'example.com', '128.0.0.1']) expect(isLoopbackHost(h)).toBe(false);
    expect(isLoopbackUrl('http://[::1]:3000/')).toBe(true);
    expect(isLoopbackUrl('not a url')).toBe(false);
  });

  it('refuses a remote target unless --allow-remote, and anything that is not an http URL', () => {
    expect(() => checkTarget('http://10.1.2.3:8080', false)).toThrow(/loopback only.*--allow-remote/);
    expect(() => checkTarget('http://10.1.2.3:8080', true)).not.toThrow();
    expect(() => checkTarget('http://127.0.0.1:3000', false)).not.toThrow();
    expect(() => checkTarget('ftp://127.0.0.1/', false)).toThrow(/http/);
    expect(() => checkTarget('127.0.0.1:3000', false)).toThrow(/--target/);
  });
});

describe('default worker count', () => {
  it('uses every core, leaving one to the embedded server, and one worker per --segment', () => {
    const cores = availableParallelism();
    expect(defaultWorkers(false, false)).toBe(cores);
    expect(defaultWorkers(true, false)).toBe(Math.max(1, cores - 1));
    expect(defaultWorkers(true, true)).toBe(1);
    expect(defaultWorkers(false, true)).toBe(1);
  });
});
