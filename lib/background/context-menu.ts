import { browser } from 'wxt/browser';
import { sendToTab } from '../messaging/runtime';

const MENU_ID = 'sidelight-analyze-image';

/** "Analyze as comparison" on any image of any page, in auto and on-demand mode alike. */
export function registerContextMenu(): void {
  browser.runtime.onInstalled.addListener(() => {
    browser.contextMenus.create({ id: MENU_ID, title: 'Analyze as comparison', contexts: ['image'] });
  });
  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId !== MENU_ID || !info.srcUrl || tab?.id === undefined) return;
    sendToTab(tab.id, info.frameId, 'content-analyze-image', { srcUrl: info.srcUrl }).catch(() => {
      // The page has no Sidelight content script (e.g. a browser page); nothing to draw on.
    });
  });
}
