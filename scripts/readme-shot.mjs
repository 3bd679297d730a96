// Writes docs/images/overlay-card.png for the README: the demo feed's first card inspected, with its
// breakdown open below it, the first signal's heat map on and the loupe over panel A.
import { mkdir } from 'node:fs/promises';
import { launchWithExtension } from './lib/browser.mjs';
import { scrollAndSettle } from './lib/feed.mjs';
import { serveDemo } from './lib/serve.mjs';

const server = await serveDemo();
const browser = await launchWithExtension();
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 760, height: 1600 });
  await page.goto(server.feedUrl);
  await scrollAndSettle(page);
  const post = page.locator('article').first();
  await post.scrollIntoViewIfNeeded();
  // Overlays are in analysis order: take the one drawn over the first post's image.
  const image = await post.locator('img').boundingBox();
  const overlays = page.locator('sidelight-overlay [data-testid="sidelight-card"]');
  let overlay = null;
  for (let index = 0; index < (await overlays.count()); index++) {
    const box = await overlays.nth(index).boundingBox();
    if (image && box && Math.abs(box.x - image.x) < 2 && Math.abs(box.y - image.y) < 2) overlay = overlays.nth(index);
  }
  if (!overlay) throw new Error('The first post has no overlay.');
  await overlay.locator('button.badge').click();
  await overlay.locator('button.map-toggle').first().click();
  const panel = await overlay.locator('.panel-0').boundingBox();
  if (!panel) throw new Error('The first card has no panel outline.');
  await page.mouse.move(panel.x + panel.width * 0.55, panel.y + panel.height * 0.3);
  await overlay.locator('[data-testid="sidelight-loupe"]').waitFor();
  const top = await post.boundingBox();
  const details = await overlay.locator('section.details').boundingBox();
  if (!top || !details) throw new Error('The card or its breakdown is not on screen.');
  const bottom = Math.max(top.y + top.height, details.y + details.height) + 8;
  await mkdir('docs/images', { recursive: true });
  await page.screenshot({ path: 'docs/images/overlay-card.png', clip: { x: top.x, y: top.y, width: top.width, height: bottom - top.y } });
  console.log('Wrote docs/images/overlay-card.png');
} finally {
  await browser.close();
  await server.close();
}
