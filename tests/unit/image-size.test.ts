import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES, tooLargeMessage } from '../../lib/messaging/image-size';

describe('the image size limit', () => {
  it('is 40 MB, and says so with the picture’s own size', () => {
    expect(MAX_IMAGE_BYTES).toBe(40 * 1024 * 1024);
    expect(tooLargeMessage(52 * 1048576)).toBe('The image is 52 MB; Sidelight reads files up to 40 MB.');
    // Just over the limit never reads as the limit itself.
    expect(tooLargeMessage(MAX_IMAGE_BYTES + 300_000, 'The image file')).toBe('The image file is 41 MB; Sidelight reads files up to 40 MB.');
  });
});
