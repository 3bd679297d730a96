/**
 * Scrolls a feed page top to bottom like a reader: a step, then a pause for the page to react.
 * @param {import('playwright-core').Page} page
 * @param {{ step?: number }} [options]
 */
export async function scrollFeed(page, { step = 500 } = {}) {
  let y = 0;
  for (;;) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    if (y > height) break;
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(150);
    y += step;
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

/**
 * Polls until every image Sidelight considered has left the `pending` state and the count of
 * considered images has been stable for a while; with `polls`, polls exactly that many times
 * instead (a page without Sidelight given the same timeline as one with it). Returns each image's
 * state and how many polls it took.
 * @param {import('playwright-core').Page} page
 * @param {{ timeoutMs?: number, polls?: number }} [options]
 * @returns {Promise<{ states: { src: string, alt: string, state: string | null, reason: string | null }[], polls: number }>}
 */
export async function settleFeed(page, { timeoutMs = 90_000, polls } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastCount = -1;
  let stableSince = Date.now();
  let count = 0;
  while (polls === undefined ? Date.now() < deadline : count < polls) {
    count++;
    const { pending, considered } = await page.evaluate(() => ({
      pending: document.querySelectorAll('img[data-sidelight="pending"]').length,
      considered: document.querySelectorAll('img[data-sidelight]').length,
    }));
    if (considered !== lastCount || pending > 0) {
      lastCount = considered;
      stableSince = Date.now();
    } else if (polls === undefined && Date.now() - stableSince > 1500) break;
    await page.waitForTimeout(200);
  }
  const states = await page.evaluate(() =>
    [...document.querySelectorAll('img')].map((image) => ({
      src: image.currentSrc || image.src,
      alt: image.alt,
      state: image.dataset.sidelight ?? null,
      reason: image.dataset.sidelightReason ?? null,
    })),
  );
  return { states, polls: count };
}

/**
 * Scrolls a feed page top to bottom like a reader and waits until every image Sidelight
 * considered has left the `pending` state. Returns each image's state.
 * @param {import('playwright-core').Page} page
 * @param {{ timeoutMs?: number, step?: number }} [options]
 * @returns {Promise<{ src: string, alt: string, state: string | null, reason: string | null }[]>}
 */
export async function scrollAndSettle(page, { timeoutMs = 90_000, step = 500 } = {}) {
  const deadline = Date.now() + timeoutMs;
  await scrollFeed(page, { step });
  return (await settleFeed(page, { timeoutMs: Math.max(0, deadline - Date.now()) })).states;
}
