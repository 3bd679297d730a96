import { defineContentScript } from 'wxt/utils/define-content-script';
import { startOverlay } from './overlay';

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_idle',
  cssInjectionMode: 'ui',
  main(ctx) {
    return startOverlay(ctx);
  },
});
