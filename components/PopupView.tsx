import type { SessionStats } from '@/lib/background/stats';
import type { AnalysisMode } from '@/lib/settings/settings';

export interface PopupViewProps {
  /** The current tab's site, or null on pages Sidelight cannot run on. */
  host: string | null;
  hostEnabled: boolean;
  mode: AnalysisMode;
  stats: SessionStats;
  onHostEnabledChange: (enabled: boolean) => void;
  onModeChange: (mode: AnalysisMode) => void;
  onOpenAnalyze: () => void;
  onOpenLibrary: () => void;
}

function average(stats: SessionStats): string {
  return stats.freshAnalyses ? `${(stats.analysisMsTotal / stats.freshAnalyses).toFixed(0)} ms` : '–';
}

/** The toolbar popup: this site on or off, auto or on-demand, and what Sidelight did this session. */
export function PopupView(props: PopupViewProps) {
  const { host, hostEnabled, mode, stats } = props;
  return (
    <main className="popup">
      <h1>Sidelight</h1>
      {host ? (
        <label className="switch">
          <input type="checkbox" checked={hostEnabled} onChange={(event) => props.onHostEnabledChange(event.target.checked)} />
          On for <strong>{host}</strong>
        </label>
      ) : (
        <p className="muted">Sidelight does not run on this page.</p>
      )}
      <fieldset>
        <legend>Analyse images</legend>
        <label>
          <input type="radio" name="mode" value="auto" checked={mode === 'auto'} onChange={() => props.onModeChange('auto')} />
          As they come into view
        </label>
        <label>
          <input type="radio" name="mode" value="on-demand" checked={mode === 'on-demand'} onChange={() => props.onModeChange('on-demand')} />
          Only when I ask (the image’s Analyse button, its keyboard shortcut, or right-click → Analyze as comparison)
        </label>
      </fieldset>
      <h2>This session</h2>
      <dl className="stats" aria-label="Session statistics">
        <dt>Images analysed</dt>
        <dd data-stat="images">{stats.imagesAnalysed}</dd>
        <dt>Comparison cards</dt>
        <dd data-stat="cards">{stats.cardsFound}</dd>
        <dt>Average analysis</dt>
        <dd data-stat="average">{average(stats)}</dd>
        <dt>Cache hits</dt>
        <dd data-stat="cache">{stats.cacheHits}</dd>
        <dt>Could not analyse</dt>
        <dd data-stat="failures">{stats.failures}</dd>
        <dt>Backend</dt>
        <dd data-stat="backend">{[stats.backend.onnx && `ONNX ${stats.backend.onnx}`, stats.backend.mediapipe && `MediaPipe ${stats.backend.mediapipe}`].filter(Boolean).join(', ') || 'no models used yet'}</dd>
      </dl>
      <button type="button" onClick={props.onOpenAnalyze}>
        Analyse my own images…
      </button>
      <button type="button" onClick={props.onOpenLibrary}>
        Open the library
      </button>
    </main>
  );
}
