import type { Browser } from 'wxt/browser';
import type { AnalysisProgress } from '../messaging/protocol';
import { sendToTab } from '../messaging/runtime';

/**
 * Where progress on a page's request goes: the frame that asked, under the ticket it gave. None
 * without a ticket or a tab (extension pages ask without one). A frame gone by then loses nothing.
 */
export function progressToFrame(sender: Browser.runtime.MessageSender, ticket: string | undefined): ((progress: AnalysisProgress) => void) | undefined {
  const tabId = sender.tab?.id;
  if (!ticket || tabId === undefined) return undefined;
  return (progress) => void sendToTab(tabId, sender.frameId, 'content-analysis-progress', { ticket, progress }).catch(() => undefined);
}

/** Only the engine's host (an extension page, never a tab's content script) reports engine progress. */
export function isEngineHost(sender: Browser.runtime.MessageSender): boolean {
  return sender.tab === undefined;
}
