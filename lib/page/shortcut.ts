/**
 * The keyboard shortcut for the on-demand offer (the picture under the pointer or in focus):
 * declared in the manifest (wxt.config.ts) with the keys it suggests, handled by the background
 * (lib/background/context-menu.ts). The button names the keys the browser actually assigned
 * (`analyze-shortcut`): the user may change them, and another extension may hold them.
 */
export const ANALYZE_COMMAND = 'analyze-offered-image';
export const SUGGESTED_SHORTCUT = 'Alt+Shift+S';
