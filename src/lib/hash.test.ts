import { describe, expect, it } from 'vitest';
import { sha256Hex, sha256HexSync } from './hash';

const KNOWN: [string, string][] = [
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  [
    'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  ],
];

describe('sha256', () => {
  it('matches the FIPS 180-4 test vectors (subtle and pure-JS paths)', async () => {
    for (const [text, hex] of KNOWN) {
      const bytes = new TextEncoder().encode(text);
      expect(await sha256Hex(bytes)).toBe(hex);
      expect(sha256HexSync(bytes)).toBe(hex);
    }
  });

  it('agrees with crypto.subtle on lengths around the padding boundaries and on Blobs', async () => {
    for (const n of [55, 56, 63, 64, 65, 119, 120, 1000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      expect(sha256HexSync(bytes)).toBe(await sha256Hex(bytes));
      expect(await sha256Hex(new Blob([bytes]))).toBe(await sha256Hex(bytes.buffer));
    }
    // A view into a larger buffer hashes only its own bytes.
    const big = new Uint8Array([9, 9, 97, 98, 99, 9]);
    expect(await sha256Hex(big.subarray(2, 5))).toBe(KNOWN[1]?.[1]);
  });
});
