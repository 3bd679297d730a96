import { describe, expect, it } from 'vitest';
import { withCaptionLabels } from '../../lib/engine/ocr/read-labels';
import { resultFromDetection, zeroTimings } from '../../lib/engine/result';

const unlabelled = resultFromDetection(
  'card.webp',
  { isComparison: true, layout: 'side-by-side', confidence: 0.9, grid: { rows: 1, cols: 2 }, panels: [[0, 0, 100, 200], [100, 0, 100, 200]], reason: null },
  { hash: 'ab', width: 200, height: 200 },
  zeroTimings(),
);

describe('withCaptionLabels', () => {
  it('labels an unlabelled card from its post text, and says so', () => {
    const labelled = withCaptionLabels(unlabelled, null, 'Nano Banana 2 vs Nano Banana Pro, same prompt');
    expect(labelled.panels.map((panel) => [panel.label, panel.labelSource])).toEqual([
      ['Nano Banana 2', 'post-text'],
      ['Nano Banana Pro', 'post-text'],
    ]);
  });

  it('prefers the alt text, which describes this very image', () => {
    const labelled = withCaptionLabels(unlabelled, 'Left: GPT Image 2, right: Nano Banana Pro', 'Midjourney v7 vs Flux 1.1 Pro');
    expect(labelled.panels.map((panel) => panel.labelSource)).toEqual(['alt-text', 'alt-text']);
    expect(labelled.panels[0]?.label).toBe('GPT Image 2');
  });

  it('never overrides labels read from the card, and leaves captions without two models alone', () => {
    const read = { ...unlabelled, panels: unlabelled.panels.map((panel, index) => ({ ...panel, label: index ? 'B' : 'A', labelSource: 'ocr' as const })) };
    expect(withCaptionLabels(read, null, 'Nano Banana 2 vs Nano Banana Pro')).toBe(read);
    expect(withCaptionLabels(unlabelled, null, 'Look at this lovely cat')).toBe(unlabelled);
  });
});
