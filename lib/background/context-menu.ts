import { browser, type Browser } from 'wxt/browser';
import { sendToTab } from '../messaging/runtime';
import { ANALYZE_COMMAND } from '../page/shortcut';
import { saveImageFromPage } from './library-service';

const ANALYZE_ID = 'sidelight-analyze-image';
const SAVE_ID = 'sidelight-save-image';
/** How long the toolbar badge shows a save's outcome. */
const BADGE_MS = 6_000;

/** The toolbar button: `action` in Chrome's MV3, `browserAction` in Firefox's MV2. */
function toolbarButton() {
  return browser.action ?? browser.browserAction;
}

export interface SaveFeedback {
  ok: boolean;
  /** The badge text: ✓ saved, ! failed. */
  badge: string;
  /** The toolbar button's tooltip: what happened, in words. */
  title: string;
}

/** What the toolbar says after a save from the menu. */
export function saveFeedback(outcome: { created: boolean } | { error: string }): SaveFeedback {
  if ('error' in outcome) return { ok: false, badge: '!', title: `Sidelight: not saved to the library. ${outcome.error}` };
  return { ok: true, badge: '✓', title: outcome.created ? 'Sidelight: saved to the library.' : 'Sidelight: already in the library; updated.' };
}

/** Shows a save's outcome on the tab's toolbar button (badge and tooltip), then clears the badge. */
async function showFeedback(tabId: number | undefined, feedback: SaveFeedback): Promise<void> {
  const button = toolbarButton();
  if (!button || tabId === undefined || tabId < 0) return;
  await button.setBadgeBackgroundColor({ tabId, color: feedback.ok ? '#15803d' : '#b91c1c' });
  await button.setBadgeText({ tabId, text: feedback.badge });
  await button.setTitle({ tabId, title: feedback.title });
  setTimeout(() => {
    // The tab may be gone by now.
    button.setBadgeText({ tabId, text: '' }).catch(() => undefined);
  }, BADGE_MS);
}

/** What a click on one of Sidelight's menu items does; resolves with the save's feedback for "Save to library". */
export async function handleMenuClick(info: Pick<Browser.contextMenus.OnClickData, 'menuItemId' | 'srcUrl' | 'pageUrl' | 'frameUrl' | 'frameId'>, tab?: Pick<Browser.tabs.Tab, 'id' | 'url'>): Promise<SaveFeedback | null> {
  if (!info.srcUrl) return null;
  if (info.menuItemId === ANALYZE_ID) {
    if (tab?.id === undefined) return null;
    await sendToTab(tab.id, info.frameId, 'content-analyze-image', { srcUrl: info.srcUrl }).catch(() => {
      // The page has no Sidelight content script (e.g. a browser page); nothing to draw on.
    });
    return null;
  }
  if (info.menuItemId !== SAVE_ID) return null;
  const pageUrl = info.frameUrl || info.pageUrl || tab?.url || '';
  const feedback = await saveImageFromPage(info.srcUrl, pageUrl).then(
    (reply) => saveFeedback(reply),
    (error: unknown) => saveFeedback({ error: error instanceof Error ? error.message : String(error) }),
  );
  await showFeedback(tab?.id, feedback).catch(() => undefined);
  return feedback;
}

/** The keyboard shortcut: the tab's on-demand offer (the picture under the pointer or in focus) is analysed. */
export async function handleCommand(command: string, tab?: Pick<Browser.tabs.Tab, 'id'>): Promise<boolean> {
  if (command !== ANALYZE_COMMAND || tab?.id === undefined) return false;
  // Discovery runs in the top frame and reaches same-origin frames from there.
  const reply = await sendToTab(tab.id, 0, 'content-analyze-offered', {}).catch(() => ({ found: false }));
  return reply.found;
}

/**
 * The shortcut's keys as the browser has them: the user may change them at
 * chrome://extensions/shortcuts, and the browser leaves them unset when another extension has them.
 */
export async function analyzeShortcut(): Promise<{ shortcut: string | null }> {
  const commands = (await browser.commands?.getAll().catch(() => [])) ?? [];
  return { shortcut: commands.find((command) => command.name === ANALYZE_COMMAND)?.shortcut || null };
}

/** "Analyze as comparison" and "Save to library" on any image of any page, in auto and on-demand mode alike. */
export function registerContextMenu(): void {
  browser.runtime.onInstalled.addListener(() => {
    browser.contextMenus.create({ id: ANALYZE_ID, title: 'Analyze as comparison', contexts: ['image'] });
    browser.contextMenus.create({ id: SAVE_ID, title: 'Save to library', contexts: ['image'] });
  });
  browser.contextMenus.onClicked.addListener((info, tab) => {
    void handleMenuClick(info, tab);
  });
  browser.commands?.onCommand.addListener((command, tab) => {
    void handleCommand(command, tab);
  });
}
