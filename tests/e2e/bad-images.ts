import sharp from 'sharp';

/** A corpus of broken and hostile images, made fresh by the tests. */
export async function badImageCorpus(): Promise<Record<string, { bytes: Buffer; contentType: string }>> {
  const red = await sharp({ create: { width: 200, height: 150, channels: 3, background: 'red' } }).png().toBuffer();
  const blue = await sharp({ create: { width: 200, height: 150, channels: 3, background: 'blue' } }).png().toBuffer();
  const photo = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#8899aa' } }).jpeg().toBuffer();
  return {
    'truncated.jpg': { bytes: photo.subarray(0, Math.floor(photo.length / 3)), contentType: 'image/jpeg' },
    'empty.png': { bytes: Buffer.alloc(0), contentType: 'image/png' },
    'one-pixel.png': { bytes: await sharp({ create: { width: 1, height: 1, channels: 3, background: 'white' } }).png().toBuffer(), contentType: 'image/png' },
    'huge-header.png': { bytes: pngHeaderOnly(20000, 20000), contentType: 'image/png' },
    'drawing.svg': {
      bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300" fill="red"/></svg>'),
      contentType: 'image/svg+xml',
    },
    'animated.gif': { bytes: await sharp([red, blue], { join: { animated: true } }).gif().toBuffer(), contentType: 'image/gif' },
    'cmyk.jpg': { bytes: await sharp(photo).toColourspace('cmyk').jpeg().toBuffer(), contentType: 'image/jpeg' },
    'deep.png': { bytes: await sharp(photo).toColourspace('rgb16').png().toBuffer(), contentType: 'image/png' },
    'page.html': { bytes: Buffer.from('<!doctype html><title>not an image</title>'), contentType: 'text/html' },
    'garbage.bin': { bytes: Buffer.from('this is not an image at all, just text bytes'), contentType: 'application/octet-stream' },
  };
}

/** A PNG signature and IHDR claiming the given size, and nothing else: a decompression bomb's header. */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const header = Buffer.alloc(8 + 25);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
  header.writeUInt32BE(13, 8);
  header.write('IHDR', 12, 'ascii');
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  header.writeUInt8(8, 24);
  header.writeUInt8(6, 25);
  return header;
}
