import { useId, useState } from 'react';
import type { AnalysisResult } from '@/lib/engine/types';

export interface PageRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface CardOverlayProps {
  /** Where the image is drawn, in document coordinates. */
  rect: PageRect;
  result: AnalysisResult;
}

const PANEL_NAMES = ['A', 'B'];

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

/** Panel outlines and a badge over one comparison card; expands into the breakdown. */
export function CardOverlay({ rect, result }: CardOverlayProps) {
  const [expanded, setExpanded] = useState(false);
  const detailsId = useId();
  const size = result.size ?? { width: rect.width, height: rect.height };
  const scaleX = rect.width / size.width;
  const scaleY = rect.height / size.height;
  const layout = result.layout === 'stacked' ? 'stacked' : 'side by side';

  return (
    <div className="card" style={{ left: rect.left, top: rect.top, width: rect.width, height: rect.height }} data-testid="sidelight-card">
      {result.panels.map((panel, index) => (
        <div
          key={index}
          className={`panel panel-${index}`}
          style={{
            left: panel.box[0] * scaleX,
            top: panel.box[1] * scaleY,
            width: panel.box[2] * scaleX,
            height: panel.box[3] * scaleY,
          }}
          aria-hidden="true"
        />
      ))}
      <button
        type="button"
        className="badge"
        aria-expanded={expanded}
        aria-controls={detailsId}
        aria-label={`Sidelight: comparison card, ${layout}. ${expanded ? 'Hide' : 'Show'} breakdown`}
        onClick={() => setExpanded((value) => !value)}
      >
        <span className="badge-mark" aria-hidden="true">◐</span> A | B
      </button>
      {expanded && (
        <section id={detailsId} className="details" aria-label="Sidelight breakdown">
          <p className="summary">{result.verdict.summary}</p>
          <dl>
            <dt>Layout</dt>
            <dd>{layout}</dd>
            <dt>Detection confidence</dt>
            <dd>{result.confidence === null ? 'unknown' : percent(result.confidence)}</dd>
            {result.panels.map((panel, index) => (
              <div key={index} className="panel-row">
                <dt>Panel {PANEL_NAMES[index] ?? index + 1}</dt>
                <dd>
                  {panel.label ?? 'no label read'} · {panel.box[2]}×{panel.box[3]} px
                  {panel.realism === null ? ' · realism not measured' : ` · realism ${Math.round(panel.realism)}`}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </div>
  );
}
