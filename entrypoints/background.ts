import { defineBackground } from 'wxt/utils/define-background';
import { analyzeImageUrl, analyzePageBytes, analyzeUploadedBytes, engineStatus } from '@/lib/background/analysis-service';
import { registerContextMenu } from '@/lib/background/context-menu';
import { saveToLibrary } from '@/lib/background/library-service';
import { listen } from '@/lib/messaging/runtime';

export default defineBackground(() => {
  listen('background', {
    'analyze-image': (request) => analyzeImageUrl(request),
    'analyze-page-bytes': (request) => analyzePageBytes(request),
    'analyze-bytes': (request) => analyzeUploadedBytes(request),
    'engine-status': () => engineStatus(),
    'library-save': (request) => saveToLibrary(request),
  });
  registerContextMenu();
});
