import { useId } from 'react';
import type { AnalysisResult, SignalName, SignalScore } from '@/lib/engine/types';
import { panelName, SIGNAL_INFO, termName, termValue, type SignalInfo } from './signals';

export interface SignalBarsProps {
  result: AnalysisResult;
  /** Signals whose heat maps are drawn over the panels. */
  shown: ReadonlySet<SignalName>;
  onToggle: (signal: SignalName) => void;
}

function Evidence({ id, info, signal }: { id: string; info: SignalInfo; signal: SignalScore }) {
  const terms = Object.entries(signal.evidence);
  return (
    <span id={id} className="evidence" role="tooltip">
      <span className="evidence-reads">Reads {info.reads}.</span>
      {terms.length === 0 ? (
        <span className="evidence-term">No evidence term applied.</span>
      ) : (
        terms.map(([term, value]) => (
          <span key={term} className="evidence-term">
            <span className="evidence-name">{termName(term)}</span> <span className="evidence-value">{termValue(value)}</span>
          </span>
        ))
      )}
    </span>
  );
}

/** One panel's bar for one signal: focusable, with its evidence shown on hover and focus. */
function Bar({ info, signal, panel }: { info: SignalInfo; signal: SignalScore | null; panel: number }) {
  const evidenceId = useId();
  if (!signal) {
    return (
      <span className="bar bar-empty" role="img" aria-label={`${info.title}, panel ${panelName(panel)}: not measured`}>
        <span className="bar-value">–</span>
      </span>
    );
  }
  const score = Math.max(0, Math.min(100, signal.score));
  return (
    <span
      className={`bar bar-${panel}`}
      tabIndex={0}
      role="meter"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(score)}
      aria-label={`${info.title}, panel ${panelName(panel)}`}
      aria-describedby={evidenceId}
      data-signal={info.name}
      data-panel={panel}
    >
      <span className="bar-fill" style={{ width: `${score}%` }} />
      <span className="bar-value">{Math.round(score)}</span>
      <Evidence id={evidenceId} info={info} signal={signal} />
    </span>
  );
}

/** Per-signal bars for both panels side by side, each signal's heat-map switch, and the realism they add up to. */
export function SignalBars({ result, shown, onToggle }: SignalBarsProps) {
  const hasMap = (name: SignalName) => result.panels.some((panel) => panel.heatmaps?.[name]);
  const measured = SIGNAL_INFO.filter(({ name }) => result.panels.some((panel) => panel.signals[name]));
  if (measured.length === 0) return <p className="muted">No realism signal could be measured on these panels.</p>;
  return (
    <table className="signals">
      <caption className="visually-hidden">Realism signals per panel, 0 to 100, higher reads more like a photo</caption>
      <thead>
        <tr>
          <th scope="col">Signal</th>
          {result.panels.map((_panel, index) => (
            <th key={index} scope="col">
              {panelName(index)}
            </th>
          ))}
          <th scope="col">
            <span className="visually-hidden">Heat map</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {measured.map((info) => (
          <tr key={info.name}>
            <th scope="row">{info.title}</th>
            {result.panels.map((panel, index) => (
              <td key={index}>
                <Bar info={info} signal={panel.signals[info.name]} panel={index} />
              </td>
            ))}
            <td>
              {hasMap(info.name) && (
                <button
                  type="button"
                  className="map-toggle"
                  aria-pressed={shown.has(info.name)}
                  aria-label={`${info.title} heat map over both panels`}
                  data-signal={info.name}
                  onClick={() => onToggle(info.name)}
                >
                  <span className="swatch" style={{ background: `rgb(${info.colour.join(' ')})` }} aria-hidden="true" />
                  Map
                </button>
              )}
            </td>
          </tr>
        ))}
        <tr className="realism-row">
          <th scope="row">Realism</th>
          {result.panels.map((panel, index) => (
            <td key={index}>
              <span className="realism-value">{panel.realism === null ? '–' : Math.round(panel.realism)}</span>
            </td>
          ))}
          <td />
        </tr>
      </tbody>
    </table>
  );
}
