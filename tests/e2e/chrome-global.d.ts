// Functions that Playwright runs inside extension pages and the service worker use the `chrome` global.
import type { browser } from 'wxt/browser';

declare global {
  const chrome: typeof browser;
}
