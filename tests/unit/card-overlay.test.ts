// @vitest-environment jsdom
import { act, createElement } from 'react';
import { type Root } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { CardOverlay, type CardOverlayProps } from '../../components/CardOverlay';
import { LOUPE_BOX, loupePosition, loupeWindows, movedSpot } from '../../components/overlay/loupe';
import { resultText } from '../../components/overlay/result-text';
import { termName, termValue } from '../../components/overlay/signals';
import { encodeHeatmap } from '../../lib/engine/heatmap-codec';
import type { AnalysisResult } from '../../lib/engine/types';
import { themeFromBackgrounds } from '../../lib/page/theme';
import { sampleAnalysis } from './library-fixtures';
import { reactRootEachTest } from './react-root';

Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });

const HOSTILE = '<img src=x onerror="window.hacked=1">Nano & <b>Banana</b>';

function cardResult(): AnalysisResult {
  const result = sampleAnalysis({ hash: 'a', labels: [HOSTILE, 'Flux'], signals: { skin: [62.4, 40], knit: [80, 71] }, realism: [71, 55], winner: 0, controlled: false });
  result.panels.forEach((panel) => {
    if (panel.signals.skin) panel.signals.skin.evidence = { textureToNoise: 0.4213, fineToMid: 1.5 };
    panel.heatmaps = { shadow: null, skin: encodeHeatmap({ data: Float32Array.from({ length: 4 }, (_, i) => i / 3), width: 2, height: 2, scale: 0.02 }), knit: null, ceramic: null };
  });
  result.consistency = { identity: 0.3, pose: 0.5, framing: 0.9, lighting: 0.4, controlled: false };
  return result;
}

describe('the overlay on a card', () => {
  let container: HTMLElement;
  let root: Root;

  reactRootEachTest((mounted) => ({ root, container } = mounted));

  function render(props: Partial<CardOverlayProps> = {}): void {
    act(() => root.render(createElement(CardOverlay, { rect: { left: 0, top: 0, width: 400, height: 400 }, result: cardResult(), ...props })));
  }
  const $ = <E extends Element = HTMLElement>(selector: string) => container.querySelector<E & HTMLElement>(selector);
  const $$ = (selector: string) => [...container.querySelectorAll<HTMLElement>(selector)];
  const expand = () => act(() => $('button.badge')?.click());

  it('renders caption text as text, never as HTML', () => {
    render();
    expand();
    expect($('.details img')).toBeNull();
    expect($('.details b')).toBeNull();
    expect($('.details')?.textContent).toContain(HOSTILE);
  });

  it('shows both panels’ bars per measured signal, with the evidence tied to each bar', () => {
    render();
    expand();
    const rows = $$('.signals tbody tr').map((row) => row.querySelector('th')?.textContent);
    expect(rows).toEqual(['Skin', 'Knit', 'Realism']);
    const skinA = $('.bar[data-signal="skin"][data-panel="0"]');
    expect(skinA?.getAttribute('role')).toBe('meter');
    expect(skinA?.getAttribute('aria-valuenow')).toBe('62');
    expect(skinA?.tabIndex).toBe(0);
    const evidence = document.getElementById(skinA?.getAttribute('aria-describedby') ?? '');
    expect(evidence?.textContent).toContain('texture to noise 0.421');
    expect(evidence?.textContent).toContain('fine to mid 1.5');
  });

  it('toggles a signal’s heat map over both panels, and only signals that have one', () => {
    render();
    expand();
    expect($$('button.map-toggle').map((button) => button.dataset.signal)).toEqual(['skin']);
    const toggle = $<HTMLButtonElement>('button.map-toggle[data-signal="skin"]');
    expect(toggle?.getAttribute('aria-pressed')).toBe('false');
    act(() => toggle?.click());
    expect(toggle?.getAttribute('aria-pressed')).toBe('true');
    expect($$('.panel canvas.heatmap[data-signal="skin"]')).toHaveLength(2);
    // A 2-cell map at scale 0.02 spans 100 panel pixels = the whole 100-pixel panel at 2 CSS px each.
    expect($('.panel-1 canvas.heatmap')?.style.width).toBe('200px');
    act(() => toggle?.click());
    expect($$('.panel canvas.heatmap')).toHaveLength(0);
  });

  it('warns plainly when the panels are not a controlled comparison, with each part’s agreement', () => {
    render();
    expand();
    expect($('.audit')?.className).toContain('audit-uncontrolled');
    expect($('.audit')?.textContent).toBe('!Not a controlled comparisonidentity 30%pose 50%framing 90%lighting 40%');
  });

  it('closes the breakdown on Escape and gives focus back to the badge', () => {
    render();
    expand();
    const bar = $('.bar[data-signal="knit"][data-panel="1"]');
    act(() => bar?.focus());
    act(() => {
      bar?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect($('.details')).toBeNull();
    expect(document.activeElement).toBe($('button.badge'));
  });

  it('copies the result as plain text, and hands the text over when the clipboard is refused', async () => {
    const copied: string[] = [];
    render({ onCopy: async (text) => void copied.push(text) });
    expand();
    await act(async () => $('button.copy')?.click());
    expect(copied).toEqual([resultText(cardResult())]);
    expect($('button.copy')?.textContent).toBe('Copied');

    render({
      onCopy: () => Promise.reject(new Error('denied')),
    });
    await act(async () => $('button.copy')?.click());
    expect($<HTMLTextAreaElement>('.copy-manual textarea')?.value).toBe(resultText(cardResult()));
  });

  it('offers Dismiss only with a callback, and calls it', () => {
    render();
    expect($('button.dismiss')).toBeNull();
    let dismissed = 0;
    render({ onDismiss: () => dismissed++ });
    act(() => $('button.dismiss')?.click());
    expect(dismissed).toBe(1);
  });

  it('makes the panels focusable loupe targets only while expanded and with an image to draw', () => {
    render({ image: document.createElement('img') });
    expect($('.panel-0')?.getAttribute('aria-hidden')).toBe('true');
    expand();
    expect($('.panel-0')?.tabIndex).toBe(0);
    expect($('.panel-0')?.getAttribute('aria-label')).toContain('Panel A');
    act(() => $('.panel-1')?.focus());
    const views = $$('[data-testid="sidelight-loupe"] canvas');
    expect(views.map((view) => view.dataset.sourceRect)).toEqual(['40,90,21,21', '140,90,21,21']);
  });
});

describe('copy text', () => {
  it('names the panels, their labels and signals, the audit and the verdict', () => {
    expect(resultText(cardResult()).split('\n')).toEqual([
      'Sidelight: comparison card (side by side), detection confidence 90%',
      `Panel A: ${HOSTILE}; realism 71 (shadow –, skin 62, knit 80, ceramic –)`,
      'Panel B: Flux; realism 55 (shadow –, skin 40, knit 71, ceramic –)',
      'Not a controlled comparison (identity 30%, pose 50%, framing 90%, lighting 40%).',
      'Verdict: Panel A reads as more real.',
    ]);
  });
});

describe('loupe geometry', () => {
  const panels: [number, number, number, number][] = [
    [0, 0, 864, 1184],
    [864, 0, 896, 1184],
  ];

  it('takes the same relative spot, the same window size, on both panels', () => {
    // 0.42 CSS px per pixel, zoom 4: a 168 px view shows 100 source pixels.
    expect(loupeWindows(panels, { u: 0.5, v: 0.25 }, 0.42)).toEqual([
      [382, 246, 100, 100],
      [1262, 246, 100, 100],
    ]);
  });

  it('keeps each window inside its panel at the edges', () => {
    expect(loupeWindows(panels, { u: 1, v: 0 }, 0.42)).toEqual([
      [764, 0, 100, 100],
      [1660, 0, 100, 100],
    ]);
  });

  it('never asks for more than the smaller panel, nor for a window of a few pixels', () => {
    expect(loupeWindows([[0, 0, 50, 80], [50, 0, 60, 80]], { u: 0.5, v: 0.5 }, 0.1)).toEqual([
      [0, 15, 50, 50],
      [55, 15, 50, 50],
    ]);
    expect(loupeWindows(panels, { u: 0.5, v: 0.5 }, 20)[0]?.[2]).toBe(12);
  });

  it.each<[string, [number, number], { width: number; height: number }, { left: number; top: number }]>([
    ['below the spot when there is room', [300, 100], { width: 600, height: 600 }, { left: 300 - LOUPE_BOX.width / 2, top: 124 }],
    ['above it near the bottom', [300, 500], { width: 600, height: 600 }, { left: 300 - LOUPE_BOX.width / 2, top: 500 - 24 - LOUPE_BOX.height }],
    ['beside it on a short card', [100, 150], { width: 700, height: 350 }, { left: 124, top: 150 - LOUPE_BOX.height / 2 }],
    ['on its left when the spot is on the right', [600, 150], { width: 700, height: 350 }, { left: 600 - 24 - LOUPE_BOX.width, top: 150 - LOUPE_BOX.height / 2 }],
    ['under a card too small to hold it', [100, 100], { width: 300, height: 200 }, { left: 0, top: 208 }],
  ])('places the loupe %s, never over the spot', (_label, [x, y], card, expected) => {
    const placed = loupePosition(x, y, card);
    expect(placed).toEqual(expected);
    const covers = x >= placed.left && x <= placed.left + LOUPE_BOX.width && y >= placed.top && y <= placed.top + LOUPE_BOX.height;
    expect(covers).toBe(false);
  });

  it.each<[string, boolean, { u: number; v: number } | null]>([
    ['ArrowRight', false, { u: 0.55, v: 0.5 }],
    ['ArrowUp', true, { u: 0.5, v: 0.3 }],
    ['Enter', false, null],
  ])('moves the spot on %s (Shift %s)', (key, large, expected) => {
    const moved = movedSpot({ panel: 1, u: 0.5, v: 0.5 }, key, large);
    if (expected === null) expect(moved).toBeNull();
    else {
      expect(moved?.panel).toBe(1);
      expect(moved?.u).toBeCloseTo(expected.u, 9);
      expect(moved?.v).toBeCloseTo(expected.v, 9);
    }
  });
});

describe('small helpers', () => {
  it.each<[string[], 'light' | 'dark' | null]>([
    [['rgb(255, 255, 255)'], 'light'],
    [['rgb(21, 32, 43)'], 'dark'],
    [['rgba(0, 0, 0, 0)', 'rgb(0, 0, 0)'], 'dark'],
    [['rgba(0, 0, 0, 0)', 'rgba(0, 0, 0, 0)'], null],
    [['rgb(241 245 249 / 100%)'], 'light'],
  ])('reads the page theme from backgrounds %j', (backgrounds, expected) => {
    expect(themeFromBackgrounds(backgrounds)).toBe(expected);
  });

  it('writes evidence terms as words and values to three digits', () => {
    expect(termName('textureToNoise')).toBe('texture to noise');
    expect(termName('p90Rim')).toBe('p90 rim');
    expect([termValue(0.123456), termValue(12), termValue(1234.5)]).toEqual(['0.123', '12', '1230']);
  });
});
