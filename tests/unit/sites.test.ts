// @vitest-environment jsdom
// jsdom, not happy-dom: its parse5 parser follows the HTML spec, so these saved pages parse as Chromium
// parses them (happy-dom keeps a nested <a> that the spec's adoption agency splits, on the X timeline).
// DOMParser documents run no scripts, and jsdom without a ResourceLoader fetches no images, styles or frames.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { adapterFor, pairAsCard, postsIn, SITE_ADAPTERS } from '../../lib/sites/registry';
import type { PostInfo } from '../../lib/sites/types';

// A path, not a URL: under jsdom the global URL is jsdom's, which node:fs does not accept.
const FIXTURE_DIR = join(import.meta.dirname, '../fixtures/dom');

const parsed = new Map<string, Document>();

/** Parses a saved page (once) as if it were served from `address`: a <base> makes relative links resolve there. */
function loadPage(file: string, address: string): Document {
  const key = `${file} ${address}`;
  const cached = parsed.get(key);
  if (cached) return cached;
  const doc = new DOMParser().parseFromString(readFileSync(join(FIXTURE_DIR, file), 'utf8'), 'text/html');
  const base = doc.createElement('base');
  base.href = address;
  doc.head.prepend(base);
  parsed.set(key, doc);
  return doc;
}

interface PostCase {
  /** Selects one media image of the post under test. */
  image: string;
  images: number;
  pair: boolean;
  author: string | null;
  postUrl: string | null;
  /** A snippet the post text starts with, or null for no text. */
  text: string | null;
  /** A snippet the alt text starts with, or null for none. */
  altText: string | null;
  otherMedia?: number;
}

interface PageCase {
  file: string;
  address: string;
  adapter: string;
  /** How many posts have media, keyed by their number of media images. */
  postsByImageCount: Record<number, number>;
  posts: PostCase[];
  /** Images that are not post media (avatars, emoji, link cards, video posters, page chrome). */
  notMedia: string;
}

const PAGES: PageCase[] = [
  {
    file: 'brocc_x_home-timeline.html',
    address: 'https://x.com/home',
    adapter: 'x',
    postsByImageCount: { 1: 5, 2: 1, 4: 1 },
    posts: [
      // Article #5: two side-by-side photos, quoting a video tweet (whose video is the quote's, not this post's).
      { image: 'img[src*="Gn-nd1BbYAAYOgR"]', images: 2, pair: true, author: '@NickADobos', postUrl: 'https://x.com/NickADobos/status/1909428901170102734', text: 'This paper is crazy', altText: null },
      // Condensed "top posts" carousel: a four-photo tweet with no timestamp link.
      { image: 'img[src*="GoBCyqZbwAIhsJ-"]', images: 4, pair: false, author: '@HeyGen_Official', postUrl: 'https://x.com/HeyGen_Official/status/1909599710064919028', text: 'Recession indicator #1', altText: null },
      { image: 'img[src*="GoBer3kaAAA8KuN"]', images: 1, pair: false, author: '@venturetwins', postUrl: 'https://x.com/venturetwins/status/1909630388093567442', text: '🚨 New @a16z thesis: AI avatars', altText: null },
    ],
    notMedia: '[data-testid^="UserAvatar-Container-"] img, img[src*="profile_images"], img[src*="/emoji/"], img[src*="video_thumb"]',
  },
  {
    file: 'metascraper_x_profile.html',
    address: 'https://x.com/Kikobeats',
    adapter: 'x',
    postsByImageCount: { 1: 1, 2: 1, 3: 1 },
    posts: [
      { image: 'img[src*="GGoUy3NWoAATSe8"]', images: 2, pair: true, author: '@Kikobeats', postUrl: 'https://x.com/Kikobeats/status/1759241476758733209', text: 'Making some', altText: null },
      { image: 'img[src*="G5UMZMmaEAACIIi"]', images: 3, pair: false, author: '@Kikobeats', postUrl: 'https://x.com/Kikobeats/status/1987508451887784324', text: 'Estoy viajando por China 🇨🇳 y es GAME OVER.', altText: null },
      // The photo of a quoted tweet belongs to the quoted tweet.
      { image: 'img[src*="Gtv79o9aAAAxDgD"]', images: 1, pair: false, author: '@rauchg', postUrl: 'https://x.com/rauchg/status/1935417542534906135', text: null, altText: null },
    ],
    notMedia: 'img[src*="profile_images"], img[src*="profile_banners"], img[src*="/emoji/"]',
  },
  {
    file: 'metascraper_x_post-image.html',
    address: 'https://x.com/UaSmart/status/934106870834454529',
    adapter: 'x',
    postsByImageCount: { 1: 1 },
    posts: [{ image: 'img[src*="DPadOKpXcAIL-NW"]', images: 1, pair: false, author: '@UaSmart', postUrl: 'https://x.com/UaSmart/status/934106870834454529', text: 'Y terminamos el dia con Cultura de empresa con @patoroco, @flopezluis', altText: null }],
    notMedia: 'img[src*="profile_images"]',
  },
  {
    file: 'tweetyoink_x-tweet-quote.html',
    address: 'https://x.com/home',
    adapter: 'x',
    postsByImageCount: { 1: 1 },
    posts: [{ image: 'img[src*="placeholder_image"]', images: 1, pair: false, author: '@OriginalAuthor', postUrl: 'https://x.com/OriginalAuthor/status/1983129251856470493', text: 'This is the original quoted tweet content', altText: null }],
    notMedia: 'img[src*="profile_images"]',
  },
  {
    file: 'brocc_bluesky_home-feed.html',
    address: 'https://bsky.app/',
    adapter: 'bluesky',
    postsByImageCount: { 1: 27, 2: 2, 4: 2 },
    posts: [
      { image: 'img[alt^="Pic of me sitting"]', images: 2, pair: true, author: '@katmabu.bsky.social', postUrl: 'https://bsky.app/profile/katmabu.bsky.social/post/3lmfxf6yns227', text: 'Got any questions about my run for Congress?', altText: 'Pic of me sitting on the ground' },
      // Two images in a quoted post: the quote is the post.
      { image: 'img[src*="bafkreibp53amzgfndcz7hyzibebaos2wqazfhu3zvgccov6g2yk6lx7hrq"]', images: 2, pair: true, author: '@ansellscow.bsky.social', postUrl: 'https://bsky.app/profile/ansellscow.bsky.social/post/3lmdujmzens2u', text: 'incredible things are happening.', altText: null },
      { image: 'img[src*="feed_thumbnail/plain/did:plc:fsmudeulw6u2qb4x"]', images: 4, pair: false, author: '@veritymilligan.bsky.social', postUrl: 'https://bsky.app/profile/veritymilligan.bsky.social/post/3lmfx2zials2a', text: 'Blue is the warmest colour 💙', altText: null },
      { image: 'img[alt^="A portrait-format, black and white photo"]', images: 1, pair: false, author: '@rachaeltalibart.bsky.social', postUrl: 'https://bsky.app/profile/rachaeltalibart.bsky.social/post/3lmfkclqmic2m', text: 'Wave at Dawn.', altText: 'A portrait-format, black and white photo of a cloudy sky' },
    ],
    // Avatars, and the thumbnail of NPR's link card.
    notMedia: '[data-testid="userAvatarImage"] img, img[src*="bafkreidh3jy4figakovk7qsucfnyhuenizbulyz2ez2lz5gijz4l2dtjtq"]',
  },
  {
    file: 'brocc_threads_home-feed.html',
    address: 'https://www.threads.net/',
    adapter: 'threads',
    postsByImageCount: { 1: 5, 2: 1, 12: 1 },
    posts: [
      // The fixture's "3-image post": two photos and a video in one carousel, so not a pair.
      { image: 'img[src*="489341002_18490"]', images: 2, otherMedia: 1, pair: false, author: '@umru', postUrl: 'https://www.threads.net/@umru/post/DIMTHjTtpsT', text: 'so so excited to be supporting oklou_', altText: 'Puede ser una imagen de cordón, bolsa de compras' },
      { image: 'img[src*="489017813_18493"]', images: 12, pair: false, author: '@bluebeachkim', postUrl: 'https://www.threads.net/@bluebeachkim/post/DIMaKKJPuw5', text: 'digital postcard sent from san francisco', altText: 'Puede ser una imagen de 1 persona, parque y texto' },
      { image: 'img[src*="490284015_18097"]', images: 1, pair: false, author: '@stoopingnyc', postUrl: 'https://www.threads.net/@stoopingnyc/post/DIOcbVIudXl', text: 'Is everyone putting out their large sideboards?', altText: 'Puede ser una imagen de aparador de comedor' },
    ],
    // Avatars, a link card, and video posters.
    notMedia: 'img[alt$="profile picture"], img[alt="Announcing the OpenAI Pioneers Program"], img[src*="t51.29350-15"]',
  },
  {
    // A real saved page, but only the app shell: Instagram had rendered no post.
    file: 'metascraper_instagram_post-with-photo.html',
    address: 'https://www.instagram.com/p/CPdQKzKD9Ra/',
    adapter: 'instagram',
    postsByImageCount: {},
    posts: [],
    notMedia: '#splash-screen img',
  },
  {
    file: 'instagram_home-feed-SYNTHETIC.html',
    address: 'https://www.instagram.com/',
    adapter: 'instagram',
    postsByImageCount: { 1: 1, 2: 1, 3: 1 },
    posts: [
      { image: 'img[alt^="Portrait generated by GPT Image 1"]', images: 2, pair: true, author: '@model.versus', postUrl: 'https://www.instagram.com/p/C9xYz123AbC/', text: 'A or B? Same prompt', altText: 'Portrait generated by GPT Image 1 (A)\nPortrait generated by Imagen 4 (B)' },
      // Four slides, three rendered: the fourth counts as media not yet in the DOM.
      { image: 'img[alt="Photo 2 of a harbour"]', images: 3, otherMedia: 1, pair: false, author: '@travel.frames', postUrl: 'https://www.instagram.com/p/C9qRsTuVwX2/', text: 'Harbour mornings.', altText: 'Photo 1 of a harbour' },
      { image: 'img[alt^="Photo by Ceramics Daily"]', images: 1, pair: false, author: '@ceramics.daily', postUrl: 'https://www.instagram.com/p/C9aBcDeFgH1/', text: 'Morning light on the new glaze. #ceramics', altText: 'Photo by Ceramics Daily' },
    ],
    notMedia: 'header img',
  },
  {
    file: 'postlight_www.reddit.com--image.html',
    address: 'https://www.reddit.com/r/aww/comments/aybw1m/nothing_to_see_here_human/',
    adapter: 'reddit',
    postsByImageCount: { 1: 6 },
    posts: [{ image: 'img[src*="jsc4t74psok21"]', images: 1, pair: false, author: 'u/moniso', postUrl: 'https://www.reddit.com/r/aww/comments/aybw1m/nothing_to_see_here_human/', text: 'nothing to see here human', altText: 'r/aww - nothing to see here human' }],
    // Avatars and subreddit icons, an ad thumbnail, sidebar thumbnails, award icons.
    notMedia: 'img[alt="User avatar"], img[alt="Subreddit Icon"], [data-testid="comments-page-ad-thumbnail"] img, img[src*="thumbs.redditmedia.com"], img[src*="/gold/"]',
  },
  {
    file: 'reddit_shreddit-feed-SYNTHETIC.html',
    address: 'https://www.reddit.com/r/StableDiffusion/',
    adapter: 'reddit',
    postsByImageCount: { 1: 1, 2: 1, 3: 1 },
    posts: [
      { image: 'img[src*="aaaa1111"]', images: 2, pair: true, author: 'u/pixel_tinkerer', postUrl: 'https://www.reddit.com/r/StableDiffusion/comments/1j2k3l4/flux_vs_sdxl_same_seed/', text: 'Flux vs SDXL, same seed\nLeft is Flux.1 dev, right is SDXL base.', altText: 'r/StableDiffusion - Flux vs SDXL, same seed' },
      { image: '#post-image', images: 1, pair: false, author: 'u/yarn_and_pixels', postUrl: 'https://www.reddit.com/r/StableDiffusion/comments/1j2k3m5/nano_banana_pro_gets_knit_texture_right/', text: 'Nano Banana Pro gets knit texture right', altText: 'r/StableDiffusion - Nano Banana Pro' },
      { image: 'img[src*="dddd4444"]', images: 3, pair: false, author: 'u/sampler_nerd', postUrl: 'https://www.reddit.com/r/StableDiffusion/comments/1j2k3n6/three_samplers_compared/', text: 'Three samplers compared', altText: 'r/StableDiffusion - Three samplers compared' },
    ],
    // Subreddit icons, the blurred backdrop copy, a video poster.
    notMedia: 'faceplate-img img, .post-background-image-filter, img[slot="poster"]',
  },
  {
    file: 'fbscraper_facebook-mobile_group-feed.html',
    address: 'https://m.facebook.com/groups/southamericansincomputing/',
    adapter: 'facebook',
    postsByImageCount: { 1: 13, 2: 1, 5: 1 },
    posts: [
      // Post #3: an album share with two stacked photos.
      { image: 'img[src*="192130433_1015"]', images: 2, pair: true, author: 'Rodriguez Ernesto', postUrl: 'https://m.facebook.com/groups/southamericansincomputing/permalink/4027245694023612/', text: 'Mientras hay gente que se pasa diciendo', altText: 'May be an image of 5 people, people standing and indoor' },
      { image: 'img[alt^="May be an image of text that says \\"DataBooks"]', images: 1, pair: false, author: 'Data Science Research Perú', postUrl: 'https://m.facebook.com/groups/southamericansincomputing/permalink/4005712009510314/', text: '🤖😎Hola querido #Datalover,', altText: 'May be an image of text that says "DataBooks' },
    ],
    // Profile pictures and link-card thumbnails.
    notMedia: 'img.profpic, img[src*="safe_image.php"]',
  },
  {
    file: 'fbscraper_facebook-mobile_post-4photos.html',
    address: 'https://m.facebook.com/story.php?story_fbid=3065154550235644&id=119240841493711',
    adapter: 'facebook',
    postsByImageCount: { 1: 1, 4: 1 },
    posts: [
      { image: 'a[href*="pcb.3065154550235644"] img', images: 4, pair: false, author: 'Nintendo', postUrl: 'https://m.facebook.com/story.php?story_fbid=3065154550235644&id=119240841493711', text: 'Check out these themed wallpapers', altText: 'No photo description available.' },
      // A cover-photo update: no permalink link, so the URL comes from the ids in data-ft.
      { image: 'img[alt="May be a cartoon"]', images: 1, pair: false, author: 'Nintendo', postUrl: 'https://m.facebook.com/story.php?story_fbid=4194934713924283&id=119240841493711', text: null, altText: 'May be a cartoon' },
    ],
    notMedia: 'img.profpic, img[src*="emoji.php"]',
  },
  {
    file: 'facebook-www_feed-SYNTHETIC.html',
    address: 'https://www.facebook.com/',
    adapter: 'facebook',
    postsByImageCount: { 2: 1 },
    posts: [{ image: 'img[src*="1001_n.jpg"]', images: 2, pair: true, author: 'Ada Lovelace', postUrl: 'https://www.facebook.com/ada.lovelace.9/posts/pfbid02AbCdEf123', text: 'Same prompt in two models.', altText: 'May be an image of cup\nMay be an image of cup and saucer' }],
    // A photo in a comment, a link-card thumbnail, a reaction icon.
    notMedia: 'img[src*="3003_n.jpg"], img[src*="external.xx.fbcdn.net"], img[role="presentation"]',
  },
  {
    file: 'defuddle_mastodon_status-SYNTHETIC.html',
    address: 'https://mastodon.example/@alice/12345678',
    adapter: 'mastodon',
    postsByImageCount: { 1: 1 },
    posts: [{ image: 'img[src*="sample-image"]', images: 1, pair: false, author: '@alice@mastodon.example', postUrl: 'https://mastodon.example/@alice/12345678', text: 'This is a sample post about something interesting.', altText: 'A sample screenshot showing the project' }],
    notMedia: '.account__avatar img, .status-card img',
  },
  {
    file: 'mastodon_home-timeline-SYNTHETIC.html',
    address: 'https://fedi.example/home',
    adapter: 'mastodon',
    postsByImageCount: { 1: 1, 2: 1, 4: 1 },
    posts: [
      { image: 'img[src*="left.png"]', images: 2, pair: true, author: '@ada', postUrl: 'https://fedi.example/@ada/113000000000000001', text: 'Same prompt, two models. Left #fluxai, right SDXL.', altText: 'Flux render: a ceramic mug on oak\nSDXL render: a ceramic mug on oak' },
      { image: 'img[alt="Frame 3"]', images: 4, pair: false, author: '@lin@photos.example', postUrl: 'https://fedi.example/@lin@photos.example/113000000000000002', text: 'Four frames from this morning.', altText: 'Frame 1' },
      // An image and a GIFV: two media items, one of them not a still image.
      { image: 'img[src*="before.png"]', images: 1, otherMedia: 1, pair: false, author: '@kai', postUrl: 'https://fedi.example/@kai/113000000000000003', text: 'CW: loud colours\nBefore and after.', altText: 'Before' },
    ],
    notMedia: '.account__avatar img, img.custom-emoji, .status-card img',
  },
  {
    file: 'pinterest_home-feed-SYNTHETIC.html',
    address: 'https://www.pinterest.com/',
    adapter: 'pinterest',
    postsByImageCount: { 1: 2 },
    posts: [{ image: 'img[src*="3f9a1c4d"]', images: 1, pair: false, author: 'aiartlab', postUrl: 'https://www.pinterest.com/pin/1098167877648122/', text: 'Flux vs Midjourney, same prompt', altText: 'Two portraits side by side' }],
    // Avatars (square _RS crops) and a video pin's cover.
    notMedia: 'img[src*="_RS/"], img[src*="/videos/"]',
  },
  {
    file: 'pinterest_pin-closeup-SYNTHETIC.html',
    address: 'https://www.pinterest.com/pin/1098167877648999/',
    adapter: 'pinterest',
    postsByImageCount: { 1: 2 },
    posts: [
      { image: '[data-test-id="pin-closeup-image"] img', images: 1, pair: false, author: 'aiartlab', postUrl: 'https://www.pinterest.com/pin/1098167877648999/', text: 'Nano Banana vs Nano Banana Pro\nSame seed, same prompt.', altText: 'Same portrait prompt rendered by Nano Banana' },
      { image: 'img[src*="deadbeef"]', images: 1, pair: false, author: null, postUrl: 'https://www.pinterest.com/pin/3377768457001/', text: null, altText: 'A tabby cat close up' },
    ],
    notMedia: 'img[src*="_RS/"]',
  },
  {
    file: 'generic_blog-post-SYNTHETIC.html',
    address: 'https://blog.example/posts/two-models-one-prompt',
    adapter: 'generic',
    postsByImageCount: { 1: 1, 2: 1 },
    posts: [
      { image: 'img[src$="model-a.webp"]', images: 2, pair: true, author: 'Jo Example', postUrl: 'https://blog.example/posts/two-models-one-prompt', text: 'Left: model A. Right: model B. Same seed.', altText: 'Model A: portrait in a knit sweater\nModel B: portrait in a knit sweater' },
      { image: 'img[src$="cup-closeup.webp"]', images: 1, pair: false, author: 'Jo Example', postUrl: 'https://blog.example/posts/two-models-one-prompt', text: 'The glaze, up close.', altText: 'Close-up of a ceramic cup' },
    ],
    notMedia: '.author-avatar, img.emoji, img.site-logo, img[src$="pixel.gif"]',
  },
];

function histogram(posts: PostInfo[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const post of posts) counts[post.images.length] = (counts[post.images.length] ?? 0) + 1;
  return counts;
}

function only(doc: Document, selector: string): HTMLImageElement {
  const found = doc.querySelectorAll<HTMLImageElement>(selector);
  expect(found.length, `images matching ${selector}`).toBeGreaterThan(0);
  return found[0] as HTMLImageElement;
}

describe.each(PAGES)('$file', (page) => {
  let doc: Document;
  let posts: PostInfo[];
  beforeAll(() => {
    doc = loadPage(page.file, page.address);
    posts = postsIn(doc, adapterFor(new URL(page.address), doc));
  });

  it(`is read by the ${page.adapter} adapter`, () => {
    expect(adapterFor(new URL(page.address), doc).id).toBe(page.adapter);
  });

  it('finds every post with media once, counted by images per post', () => {
    expect(histogram(posts)).toEqual(page.postsByImageCount);
    expect(new Set(posts.map((post) => post.container)).size).toBe(posts.length);
  });

  it('gives the same post for each of its images, which all sit inside it', () => {
    const adapter = adapterFor(new URL(page.address), doc);
    for (const post of posts) {
      for (const image of post.images) {
        expect(post.container.contains(image)).toBe(true);
        expect(adapter.postFor(image)?.container).toBe(post.container);
      }
    }
  });

  it('never returns avatars, emoji, link cards or video posters as media', () => {
    const adapter = adapterFor(new URL(page.address), doc);
    const decorations = Array.from(doc.querySelectorAll<HTMLImageElement>(page.notMedia));
    expect(decorations.length).toBeGreaterThan(0);
    const media = new Set(posts.flatMap((post) => post.images));
    for (const image of decorations) {
      expect(adapter.postFor(image), image.outerHTML.slice(0, 160)).toBeNull();
      expect(media.has(image)).toBe(false);
    }
  });

  it.runIf(page.posts.length > 0).each(page.posts)('reads the post of $image', (expected) => {
    const post = adapterFor(new URL(page.address), doc).postFor(only(doc, expected.image));
    expect(post).not.toBeNull();
    if (!post) return;
    expect(post.images).toHaveLength(expected.images);
    expect(post.otherMediaCount).toBe(expected.otherMedia ?? 0);
    expect(post.author).toBe(expected.author);
    expect(post.postUrl).toBe(expected.postUrl);
    if (expected.text === null) expect(post.text).toBeNull();
    else expect(post.text?.startsWith(expected.text), `text: ${post.text}`).toBe(true);
    if (expected.altText === null) expect(post.altText).toBeNull();
    else expect(post.altText?.startsWith(expected.altText), `alt: ${post.altText}`).toBe(true);
    const pair = pairAsCard(post);
    expect(pair !== null).toBe(expected.pair);
    if (pair) expect(pair).toEqual(post.images);
  });
});

describe('reading order', () => {
  it('puts X photos in the order of their /photo/N links', () => {
    const doc = loadPage('brocc_x_home-timeline.html', 'https://x.com/home');
    const post = adapterFor(new URL('https://x.com/home'), doc).postFor(only(doc, 'img[src*="GoBCz17bwAQO3B5"]'));
    const numbers = post?.images.map((image) => /\/photo\/(\d)/.exec(image.closest('a')?.getAttribute('href') ?? '')?.[1]);
    expect(numbers).toEqual(['1', '2', '3', '4']);
  });

  it('returns the two photos of article #5 left first', () => {
    const doc = loadPage('brocc_x_home-timeline.html', 'https://x.com/home');
    const post = adapterFor(new URL('https://x.com/home'), doc).postFor(only(doc, 'img[src*="Gn-nd1LbwAAghTN"]'));
    const pair = post ? pairAsCard(post) : null;
    expect(pair?.map((image) => /media\/([\w-]+)/.exec(image.src)?.[1])).toEqual(['Gn-nd1BbYAAYOgR', 'Gn-nd1LbwAAghTN']);
  });
});

describe('adapterFor', () => {
  const blank = () => new DOMParser().parseFromString('<!DOCTYPE html><html><body></body></html>', 'text/html');
  it.each([
    ['https://x.com/home', 'x'],
    ['https://twitter.com/someone/status/1', 'x'],
    ['https://mobile.twitter.com/', 'x'],
    ['https://bsky.app/profile/alice.bsky.social', 'bluesky'],
    ['https://www.threads.net/@someone', 'threads'],
    ['https://www.threads.com/', 'threads'],
    ['https://www.instagram.com/p/abc/', 'instagram'],
    ['https://www.reddit.com/r/StableDiffusion/', 'reddit'],
    ['https://sh.reddit.com/', 'reddit'],
    ['https://m.facebook.com/groups/1/', 'facebook'],
    ['https://www.facebook.com/', 'facebook'],
    ['https://www.pinterest.com/pin/1/', 'pinterest'],
    ['https://de.pinterest.com/', 'pinterest'],
    ['https://www.pinterest.co.uk/', 'pinterest'],
    ['https://mastodon.social/@Gargron', 'mastodon'],
    ['https://old.reddit.com/r/aww/', 'generic'],
    ['https://notx.com/', 'generic'],
    ['https://example.org/blog', 'generic'],
  ])('%s → %s', (address, id) => {
    expect(adapterFor(new URL(address), blank()).id).toBe(id);
  });

  it('recognises a Mastodon instance on any host by its web UI markup', () => {
    const doc = loadPage('mastodon_home-timeline-SYNTHETIC.html', 'https://fedi.example/home');
    expect(adapterFor(new URL('https://fedi.example/home'), doc).id).toBe('mastodon');
    expect(adapterFor(new URL('https://fedi.example/home'), blank()).id).toBe('generic');
  });

  it('lists generic last, once', () => {
    expect(SITE_ADAPTERS.at(-1)?.id).toBe('generic');
    expect(SITE_ADAPTERS.filter((adapter) => adapter.id === 'generic')).toHaveLength(1);
  });
});

describe('pairAsCard', () => {
  const doc = new DOMParser().parseFromString('<p><img><img><img></p>', 'text/html');
  const [a, b, c] = Array.from(doc.querySelectorAll('img'));
  const post = (images: HTMLImageElement[], otherMediaCount = 0): PostInfo => ({
    container: doc.body,
    postUrl: null,
    author: null,
    text: null,
    altText: null,
    images,
    otherMediaCount,
  });

  it.each([
    ['two images', [a, b], 0, true],
    ['one image', [a], 0, false],
    ['three images', [a, b, c], 0, false],
    ['two images and a video', [a, b], 1, false],
  ] as const)('%s → pair: %s', (_label, images, other, expected) => {
    const pair = pairAsCard(post(images.filter((image): image is HTMLImageElement => image !== undefined), other));
    expect(pair !== null).toBe(expected);
    if (pair) expect(pair).toEqual([a, b]);
  });
});
