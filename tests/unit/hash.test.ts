import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../lib/engine/hash';

describe('sha256Hex', () => {
  it.each([
    // FIPS 180-2 appendix B.1 and the empty-message digest.
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('hashes %j', async (message, digest) => {
    expect(await sha256Hex(new TextEncoder().encode(message))).toBe(digest);
  });

  it('hashes only the viewed bytes of a subarray', async () => {
    const padded = new TextEncoder().encode('xxabcxx');
    expect(await sha256Hex(padded.subarray(2, 5))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
