import { storage } from 'wxt/utils/storage';

/** auto: analyse images as they come into view. on-demand: only images the user asks about (context menu). */
export type AnalysisMode = 'auto' | 'on-demand';

export interface Settings {
  mode: AnalysisMode;
  /** Hosts (e.g. "x.com") where Sidelight stays off. Every other site is on. */
  disabledHosts: string[];
}

export const DEFAULT_SETTINGS: Settings = { mode: 'auto', disabledHosts: [] };

export const settingsItem = storage.defineItem<Settings>('local:settings', { fallback: DEFAULT_SETTINGS });

export function isHostEnabled(settings: Settings, host: string): boolean {
  return !settings.disabledHosts.includes(normalHost(host));
}

export function withHostEnabled(settings: Settings, host: string, enabled: boolean): Settings {
  const normal = normalHost(host);
  const others = settings.disabledHosts.filter((entry) => entry !== normal);
  return { ...settings, disabledHosts: enabled ? others : [...others, normal] };
}

/** "www.x.com" and "x.com" are one site to a user. */
export function normalHost(host: string): string {
  return host.toLowerCase().replace(/^www\./, '');
}
