import type { AnalysisResult } from '@/lib/engine/types';

const PANEL_NAMES = ['A', 'B'];
const LABEL_SOURCES = { ocr: 'read from the card', 'post-text': 'from the post text', 'alt-text': 'from the alt text' } as const;

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

export function layoutName(result: AnalysisResult): string {
  if (result.source?.kind === 'pair') return 'two pictures of one post, side by side';
  return result.layout === 'stacked' ? 'stacked' : 'side by side';
}

/** A card's verdict, layout, confidence and panels: the same breakdown in the overlay and the library. */
export function Breakdown({ result }: { result: AnalysisResult }) {
  return (
    <>
      <p className="summary">{result.verdict.summary}</p>
      <dl>
        <dt>Layout</dt>
        <dd>{layoutName(result)}</dd>
        <dt>Detection confidence</dt>
        <dd>{result.confidence === null ? 'unknown' : percent(result.confidence)}</dd>
        {result.panels.map((panel, index) => (
          <div key={index} className="panel-row">
            <dt>Panel {PANEL_NAMES[index] ?? index + 1}</dt>
            <dd>
              {panel.label ?? 'no label read'}
              {panel.labelSource && <span className="label-source"> ({LABEL_SOURCES[panel.labelSource]})</span>} · {panel.box[2]}×{panel.box[3]} px
              {panel.realism === null ? ' · realism not measured' : ` · realism ${Math.round(panel.realism)}`}
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}
