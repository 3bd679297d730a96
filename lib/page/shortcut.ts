/**
 * The keyboard shortcut for the on-demand offer (the picture under the pointer or in focus):
 * declared in the manifest (wxt.config.ts), handled by the background (lib/background/context-menu.ts)
 * and named on the offer's button (components/overlay/AnalyseOffer.tsx).
 */
export const ANALYZE_COMMAND = 'analyze-offered-image';
export const ANALYSE_SHORTCUT = 'Alt+Shift+S';
