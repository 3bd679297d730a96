/**
 * Scrolls a feed page top to bottom like a reader and waits until every image Sidelight
 * considered has left the `pending` state. Returns each image's state.
 * @param {import('playwright-core').Page} page
 * @param {{ timeoutMs?: number, step?: number }} [options]
 * @returns {Promise<{ src: string, alt: string, state: string | null, reason: string | null }[]>}
 */
export async function scrollAndSettle(page, { timeoutMs = 90_000, step = 500 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let y = 0;
  for (;;) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    if (y > height) break;
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(150);
    y += step;
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  // Settled: no image pending and the count of considered images stable for a while.
  let lastCount = -1;
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    const { pending, considered } = await page.evaluate(() => ({
      pending: document.querySelectorAll('img[data-sidelight="pending"]').length,
      considered: document.querySelectorAll('img[data-sidelight]').length,
    }));
    if (considered !== lastCount || pending > 0) {
      lastCount = considered;
      stableSince = Date.now();
    } else if (Date.now() - stableSince > 1500) break;
    await page.waitForTimeout(200);
  }
  return page.evaluate(() =>
    [...document.querySelectorAll('img')].map((image) => ({
      src: image.currentSrc || image.src,
      alt: image.alt,
      state: image.dataset.sidelight ?? null,
      reason: image.dataset.sidelightReason ?? null,
    })),
  );
}
