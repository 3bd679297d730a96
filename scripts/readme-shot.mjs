// Writes docs/images/demo-feed.png: the demo feed's first card with its breakdown open (for the README).
import { mkdir } from 'node:fs/promises';
import { launchWithExtension } from './lib/browser.mjs';
import { scrollAndSettle } from './lib/feed.mjs';
import { serveDemo } from './lib/serve.mjs';

const server = await serveDemo();
const browser = await launchWithExtension();
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 760, height: 720 });
  await page.goto(server.feedUrl);
  await scrollAndSettle(page);
  const card = page.locator('article').first();
  await card.scrollIntoViewIfNeeded();
  const badge = page.locator('sidelight-overlay button.badge').first();
  await badge.click();
  await mkdir('docs/images', { recursive: true });
  await card.screenshot({ path: 'docs/images/demo-feed.png' });
  console.log('Wrote docs/images/demo-feed.png');
} finally {
  await browser.close();
  await server.close();
}
