import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { PopupView } from '@/components/PopupView';
import { EMPTY_STATS, statsItem, type SessionStats } from '@/lib/background/stats';
import { DEFAULT_SETTINGS, isHostEnabled, normalHost, settingsItem, withHostEnabled, type Settings } from '@/lib/settings/settings';
import './style.css';

async function currentHost(): Promise<string | null> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (!tab?.url) return null;
  const url = new URL(tab.url);
  return url.protocol === 'http:' || url.protocol === 'https:' ? normalHost(url.host) : null;
}

function Popup() {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [stats, setStats] = useState<SessionStats>(EMPTY_STATS);
  const [host, setHost] = useState<string | null>(null);

  useEffect(() => {
    void settingsItem.getValue().then(setSettings);
    void statsItem.getValue().then(setStats);
    void currentHost().then(setHost);
    const unwatchSettings = settingsItem.watch((value) => setSettings(value ?? DEFAULT_SETTINGS));
    const unwatchStats = statsItem.watch((value) => setStats(value ?? EMPTY_STATS));
    return () => {
      unwatchSettings();
      unwatchStats();
    };
  }, []);

  const save = (next: Settings) => {
    setSettings(next);
    void settingsItem.setValue(next);
  };

  return (
    <PopupView
      host={host}
      hostEnabled={host ? isHostEnabled(settings, host) : false}
      mode={settings.mode}
      stats={stats}
      onHostEnabledChange={(enabled) => host && save(withHostEnabled(settings, host, enabled))}
      onModeChange={(mode) => save({ ...settings, mode })}
      onOpenAnalyze={() => void browser.tabs.create({ url: browser.runtime.getURL('/analyze.html') })}
      onOpenLibrary={() => void browser.tabs.create({ url: browser.runtime.getURL('/library.html') })}
    />
  );
}

const container = document.getElementById('root');
if (container) createRoot(container).render(<Popup />);
