import { defineBackground } from 'wxt/utils/define-background';
import { analyzeImageUrl, analyzePageBytes, analyzePair, analyzeUploadedBytes, analyzeUploadedPair, engineStatus } from '@/lib/background/analysis-service';
import { analyzeShortcut, handleCommand, handleMenuClick, registerContextMenu } from '@/lib/background/context-menu';
import { deliverEngineProgress } from '@/lib/background/engine-client';
import { isEngineHost, progressToFrame } from '@/lib/background/progress';
import { saveToLibrary } from '@/lib/background/library-service';
import { listen } from '@/lib/messaging/runtime';

export default defineBackground(() => {
  listen('background', {
    'analyze-image': (request, sender) => analyzeImageUrl(request, progressToFrame(sender, request.ticket)),
    'analyze-page-bytes': (request, sender) => analyzePageBytes(request, progressToFrame(sender, request.ticket)),
    'analyze-bytes': (request) => analyzeUploadedBytes(request),
    'analyze-pair': (request) => analyzePair(request),
    'analyze-pair-bytes': (request) => analyzeUploadedPair(request),
    'engine-status': () => engineStatus(),
    'analyze-shortcut': () => analyzeShortcut(),
    'engine-progress': ({ progressId, progress }, sender) => {
      if (isEngineHost(sender)) deliverEngineProgress(progressId, progress);
      return Promise.resolve({});
    },
    'library-save': (request) => saveToLibrary(request),
  });
  registerContextMenu();
  // The menu's click and shortcut handlers, callable from the service worker's console (and the e2e tests, which cannot click a native menu).
  Object.assign(globalThis, { sidelightMenuClick: handleMenuClick, sidelightCommand: handleCommand });
});
