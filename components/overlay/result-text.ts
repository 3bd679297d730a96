/** A card's result as plain text, for the overlay's Copy button (labels stay text: nothing is parsed). */
import type { AnalysisResult } from '@/lib/engine/types';
import { panelName, SIGNAL_INFO } from './signals';

const LABEL_SOURCES = { ocr: 'read from the card', 'post-text': 'from the post text', 'alt-text': 'from the alt text' } as const;

function percent(value: number | null): string {
  return value === null ? 'unknown' : `${Math.round(value * 100)}%`;
}

export function resultText(result: AnalysisResult, pageUrl?: string): string {
  const layout = result.source?.kind === 'pair' ? 'two pictures of one post, side by side' : result.layout === 'stacked' ? 'stacked' : 'side by side';
  const lines = [`Sidelight: comparison card (${layout}), detection confidence ${percent(result.confidence)}`];
  result.panels.forEach((panel, index) => {
    const label = panel.label === null ? 'no label read' : `${panel.label}${panel.labelSource ? ` (${LABEL_SOURCES[panel.labelSource]})` : ''}`;
    const realism = panel.realism === null ? 'realism not measured' : `realism ${Math.round(panel.realism)}`;
    const signals = SIGNAL_INFO.map(({ name, title }) => {
      const signal = panel.signals[name];
      return `${title.toLowerCase()} ${signal ? Math.round(signal.score) : '–'}`;
    }).join(', ');
    lines.push(`Panel ${panelName(index)}: ${label}; ${realism} (${signals})`);
  });
  const { consistency } = result;
  if (consistency.controlled !== null) {
    lines.push(
      consistency.controlled
        ? 'Controlled comparison: same subject, pose, framing and lighting.'
        : `Not a controlled comparison (identity ${percent(consistency.identity)}, pose ${percent(consistency.pose)}, framing ${percent(consistency.framing)}, lighting ${percent(consistency.lighting)}).`,
    );
  }
  lines.push(`Verdict: ${result.verdict.summary}`);
  if (pageUrl) lines.push(`Seen on ${pageUrl}`);
  return lines.join('\n');
}
