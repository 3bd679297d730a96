import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '../../lib/messaging/base64';
import { isEnvelope, makeEnvelope, sentPageBytes } from '../../lib/messaging/protocol';

describe('message envelopes', () => {
  it('accepts what makeEnvelope builds, with the target the protocol map gives', () => {
    const envelope = makeEnvelope('analyze-image', { url: 'https://example.test/a.png', pageUrl: 'https://example.test/' });
    expect(envelope.target).toBe('background');
    expect(isEnvelope(envelope)).toBe(true);
    expect(makeEnvelope('offscreen-ping', {}).target).toBe('offscreen');
  });

  it.each([
    ['null', null],
    ['a string', 'analyze-image'],
    ['a page-style {type, data} message', { type: 'analyze-image', data: {} }],
    ['an unknown name', { sidelight: 1, name: 'delete-everything', target: 'background', request: {} }],
    ['a name sent to the wrong target', { sidelight: 1, name: 'offscreen-analyze', target: 'background', request: {} }],
    ['no request', { sidelight: 1, name: 'engine-status', target: 'background' }],
    ['another protocol version', { sidelight: 2, name: 'engine-status', target: 'background', request: {} }],
  ])('rejects %s', (_label, message) => {
    expect(isEnvelope(message)).toBe(false);
  });
});

describe('base64 for image bytes', () => {
  it('round-trips every byte value and large buffers', () => {
    const bytes = new Uint8Array(200_000).map((_, index) => (index * 7919) % 256);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    expect(bytesToBase64(new Uint8Array([0, 255, 128]))).toBe('AP+A');
  });
});

describe('sentPageBytes', () => {
  it('reads a Blob a content script sent, takes bytes as they are, and refuses anything else', async () => {
    const bytes = Uint8Array.from([1, 2, 3, 250]);
    expect([...(await sentPageBytes(new Blob([bytes])))]).toEqual([1, 2, 3, 250]);
    expect(await sentPageBytes(bytes)).toBe(bytes);
    await expect(sentPageBytes({ 0: 1, 1: 2 }, 'The picture')).rejects.toThrow(/^The picture did not arrive as bytes/);
  });
});
