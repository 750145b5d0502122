import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as zlib from 'zlib';
import { APPLIANCE_FILES } from '../../../../lib/constructs/security-gateway/appliance';
import { deterministicGzip } from '../../../../lib/constructs/security-gateway/appliance/deterministic-gzip';

/** A reproducible pseudo-random buffer (incompressible input). */
function noise(length: number, seed = 7): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

const program = fs.readFileSync(APPLIANCE_FILES.program);
const inputs: Record<string, Buffer> = {
  empty: Buffer.alloc(0),
  'one byte': Buffer.from('x'),
  'a long run (distance 1, 258-byte matches)': Buffer.alloc(70_000, 'a'),
  'incompressible noise': noise(40_000),
  'text repeating beyond the 32 KB window': Buffer.concat([
    noise(20_000),
    Buffer.from('z'.repeat(20_000)),
    noise(20_000),
  ]),
  'all byte values': Buffer.from(Array.from({ length: 512 }, (_, index) => index % 256)),
  'the appliance program': program,
};

describe('deterministicGzip', () => {
  test.each(Object.keys(inputs))('round-trips %s through Node gunzip', (name) => {
    expect(zlib.gunzipSync(deterministicGzip(inputs[name])).equals(inputs[name])).toBe(true);
  });

  test('is decoded by the system gunzip (as on the instance)', () => {
    const decoded = execFileSync('gunzip', ['-c'], { input: deterministicGzip(program), timeout: 20_000 });
    expect(decoded.equals(program)).toBe(true);
  });

  test('writes a fixed header: deflate, no name, mtime 0, OS unknown', () => {
    expect(deterministicGzip(program).subarray(0, 10).toString('hex')).toBe('1f8b08000000000000ff');
  });

  test('gives the same bytes for the same input', () => {
    expect(deterministicGzip(Buffer.from(program)).equals(deterministicGzip(program))).toBe(true);
  });

  test('compresses the appliance program to under a third of its size', () => {
    expect(deterministicGzip(program).length).toBeLessThan(program.length / 3);
  });
});
