// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { backgroundImageUrl, candidateNaturalSize, imageBesideShows, largestCandidate, largestImageSource as largestCandidateOf, parseSrcset, urlKind } from '../../lib/page/sources';

const largestImageSource = (image: Element, media: (query: string) => boolean) => largestCandidateOf(image, media)?.url ?? null;

describe('urlKind', () => {
  it.each([
    ['https://pbs.twimg.com/media/a.jpg', 'http'],
    ['http://127.0.0.1:8080/x.png', 'http'],
    ['blob:https://x.com/6f1c-22', 'page-bytes'],
    ['data:image/png;base64,iVBOR', 'page-bytes'],
    ['DATA:image/png;base64,iVBOR', 'page-bytes'],
    ['chrome-extension://abc/icon.png', 'unsupported'],
    ['file:///tmp/a.png', 'unsupported'],
    ['relative/path.png', 'unsupported'],
  ])('%s → %s', (url, kind) => {
    expect(urlKind(url)).toBe(kind);
  });
});

describe('parseSrcset', () => {
  it('reads width and density descriptors, and candidates without one', () => {
    expect(parseSrcset('a.jpg 320w, b.jpg 640w,c.jpg  1280w')).toEqual([
      { url: 'a.jpg', width: 320, density: 1 },
      { url: 'b.jpg', width: 640, density: 1 },
      { url: 'c.jpg', width: 1280, density: 1 },
    ]);
    expect(parseSrcset('a.jpg, b.jpg 2x, c.jpg 1.5x')).toEqual([
      { url: 'a.jpg', width: null, density: 1 },
      { url: 'b.jpg', width: null, density: 2 },
      { url: 'c.jpg', width: null, density: 1.5 },
    ]);
  });

  it('keeps commas inside URLs (Instagram and X put them in query strings)', () => {
    expect(parseSrcset('https://cdn.example/p.jpg?crop=0,0,100,100 100w, https://cdn.example/q.jpg?x=1,2 200w')).toEqual([
      { url: 'https://cdn.example/p.jpg?crop=0,0,100,100', width: 100, density: 1 },
      { url: 'https://cdn.example/q.jpg?x=1,2', width: 200, density: 1 },
    ]);
  });

  it('keeps a data: URL whole and drops candidates with invalid descriptors', () => {
    expect(parseSrcset('data:image/png;base64,AAAA 1x, b.jpg 2q, c.jpg 0w, d.jpg 100w 2x')).toEqual([{ url: 'data:image/png;base64,AAAA', width: null, density: 1 }]);
  });

  it('is empty for an empty attribute', () => {
    expect(parseSrcset('')).toEqual([]);
    expect(parseSrcset(' , ')).toEqual([]);
  });
});

describe('largestCandidate', () => {
  it('prefers the widest w candidate over the src', () => {
    expect(largestCandidate(parseSrcset('s.jpg 320w, l.jpg 1600w, m.jpg 800w'), 'fallback.jpg')).toEqual({ url: 'l.jpg', width: 1600, density: 1 });
  });
  it('picks the highest density when there are no widths; the src counts as 1x', () => {
    expect(largestCandidate(parseSrcset('b.jpg 2x, c.jpg 3x'), 'a.jpg')?.url).toBe('c.jpg');
    expect(largestCandidate([], 'a.jpg')?.url).toBe('a.jpg');
    expect(largestCandidate([], null)).toBeNull();
  });
});

describe('largestImageSource', () => {
  function imageIn(html: string, base = 'https://site.example/feed/'): HTMLImageElement {
    const doc = new DOMParser().parseFromString(`<base href="${base}"><body>${html}</body>`, 'text/html');
    return doc.querySelector('img') as HTMLImageElement;
  }
  const noMedia = () => false;

  it('resolves the largest srcset candidate against the page, not the small one the viewport picked', () => {
    const image = imageIn('<img src="small.jpg" srcset="small.jpg 400w, /big/large.jpg 2048w" sizes="300px">');
    expect(largestImageSource(image, noMedia)).toBe('https://site.example/big/large.jpg');
  });

  it('uses the src when there is no srcset', () => {
    expect(largestImageSource(imageIn('<img src="a.png">'), noMedia)).toBe('https://site.example/feed/a.png');
    expect(largestImageSource(imageIn('<img>'), noMedia)).toBeNull();
  });

  it('in a <picture>, takes the first source whose media and type match, and only its candidates', () => {
    const html = `<picture>
      <source media="(max-width: 600px)" srcset="mobile-crop.jpg 600w">
      <source type="image/jxl" srcset="pic.jxl 3000w">
      <source type="image/webp" srcset="pic-800.webp 800w, pic-1600.webp 1600w">
      <img src="pic-fallback.jpg" srcset="pic-fallback-4000.jpg 4000w">
    </picture>`;
    expect(largestImageSource(imageIn(html), noMedia)).toBe('https://site.example/feed/pic-1600.webp');
    expect(largestImageSource(imageIn(html), (query) => query === '(max-width: 600px)')).toBe('https://site.example/feed/mobile-crop.jpg');
  });

  it('falls back to the image itself when no source matches', () => {
    const html = '<picture><source media="(min-width: 9999px)" srcset="huge.jpg 9000w"><img src="a.jpg" srcset="b.jpg 1200w"></picture>';
    expect(largestImageSource(imageIn(html), noMedia)).toBe('https://site.example/feed/b.jpg');
  });

  it('keeps blob: and data: addresses as they are', () => {
    expect(largestImageSource(imageIn('<img src="blob:https://site.example/1234-abcd">'), noMedia)).toBe('blob:https://site.example/1234-abcd');
    expect(largestImageSource(imageIn('<img src="data:image/png;base64,iVBORw0KGgo=">'), noMedia)).toBe('data:image/png;base64,iVBORw0KGgo=');
  });
});

describe('backgroundImageUrl', () => {
  it.each([
    ['url("https://cdn.example/card.webp")', 'https://cdn.example/card.webp'],
    ["url('https://cdn.example/a b.png')", 'https://cdn.example/a b.png'],
    ['url(https://cdn.example/c.jpg), linear-gradient(red, blue)', 'https://cdn.example/c.jpg'],
    ['linear-gradient(rgba(0, 0, 0, 0.5), transparent), url("https://cdn.example/d.jpg")', 'https://cdn.example/d.jpg'],
    ['url("data:image/png;base64,iVBOR\\"x")', 'data:image/png;base64,iVBOR"x'],
    ['none', null],
    ['linear-gradient(red, blue)', null],
    ['', null],
    [null, null],
  ])('%s → %s', (value, expected) => {
    expect(backgroundImageUrl(value)).toBe(expected);
  });
});

describe('candidateNaturalSize', () => {
  it('scales a shown thumbnail up to the declared width of the largest candidate, keeping its aspect', () => {
    expect(candidateNaturalSize({ width: 320, height: 117 }, { url: 'big.webp', width: 2368, density: 1 })).toEqual({ width: 2368, height: 866 });
  });
  it('keeps the shown size without a declared width, or when the shown picture is the larger', () => {
    expect(candidateNaturalSize({ width: 320, height: 117 }, { url: 'b.jpg', width: null, density: 2 })).toEqual({ width: 320, height: 117 });
    expect(candidateNaturalSize({ width: 1200, height: 600 }, { url: 'b.jpg', width: 800, density: 1 })).toEqual({ width: 1200, height: 600 });
    expect(candidateNaturalSize({ width: 0, height: 0 }, null)).toEqual({ width: 0, height: 0 });
  });
});

describe('imageBesideShows', () => {
  // X's photo markup (brocc_x_home-timeline.html): a background div and an invisible <img> with the same address.
  const doc = new DOMParser().parseFromString(
    `<base href="https://x.com/home"><body>
      <div aria-label="Image" class="photo"><div class="bg" style="background-image: url(&quot;https://pbs.twimg.com/media/Gn-nd1BbYAAYOgR?format=jpg&amp;name=medium&quot;)"></div>
      <img alt="Image" draggable="true" src="https://pbs.twimg.com/media/Gn-nd1BbYAAYOgR?format=jpg&amp;name=medium" class="css-9pa8cd"></div>
      <div class="hero"><div class="bg2"></div><img src="/other.jpg" srcset="/hero-1600.jpg 1600w"></div>
    </body>`,
    'text/html',
  );
  it('is true for the background of a photo that an <img> beside it shows too', () => {
    expect(imageBesideShows(doc.querySelector('.bg') as Element, 'https://pbs.twimg.com/media/Gn-nd1BbYAAYOgR?format=jpg&name=medium')).toBe(true);
    expect(imageBesideShows(doc.querySelector('.bg2') as Element, 'https://x.com/hero-1600.jpg')).toBe(true);
  });
  it('is false for a background no <img> nearby shows', () => {
    expect(imageBesideShows(doc.querySelector('.bg') as Element, 'https://pbs.twimg.com/media/OTHER?format=jpg')).toBe(false);
    expect(imageBesideShows(doc.querySelector('.bg2') as Element, 'https://x.com/unrelated.jpg')).toBe(false);
  });
});
