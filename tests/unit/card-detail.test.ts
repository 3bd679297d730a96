// @vitest-environment jsdom
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CardDetail, type CardDetailProps } from '../../components/library/CardDetail';
import { CardPanels } from '../../components/overlay/CardPanels';
import { signalsWithMaps, toggledSignal } from '../../components/overlay/signals';
import { encodeHeatmap } from '../../lib/engine/heatmap-codec';
import type { AnalysisResult, EncodedHeatmap } from '../../lib/engine/types';
import { deriveSearchFields } from '../../lib/library/derive';
import { withKeptHeatmaps } from '../../lib/library/heatmaps';
import type { LibraryCard, PostInfo } from '../../lib/library/types';
import { sampleAnalysis } from './library-fixtures';
import { reactRootEachTest } from './react-root';

Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });

/** A 2×2 map at scale 0.02: it spans a whole 100-pixel panel. */
function map(levels: number[]): EncodedHeatmap {
  return encodeHeatmap({ data: Float32Array.from(levels), width: 2, height: 2, scale: 0.02 });
}

/** Two 100×200 panels of a 200×200 card; panel A has a skin and a knit map, panel B a skin map only. */
function withMaps(): AnalysisResult {
  const result = sampleAnalysis({ hash: 'c'.repeat(64), labels: ['Nano Banana', 'Flux'], signals: { skin: [62, 40], knit: [80, 71] }, realism: [71, 55], winner: 0, controlled: false });
  result.panels[0]!.heatmaps = { shadow: null, skin: map([1, 0, 0, 0]), knit: map([0, 0, 0, 1]), ceramic: null };
  result.panels[1]!.heatmaps = { shadow: null, skin: map([0, 1, 1, 0]), knit: null, ceramic: null };
  result.panels[0]!.signals.skin!.evidence = { textureToNoise: 0.4213 };
  result.consistency = { identity: 0.3, pose: 0.5, framing: 0.9, lighting: 0.4, controlled: false };
  return result;
}

function withoutMaps(): AnalysisResult {
  const result = withMaps();
  result.panels.forEach((panel) => delete panel.heatmaps);
  return result;
}

describe('shown heat maps', () => {
  it('toggles one signal at a time, leaving the set it was given alone', () => {
    const shown = new Set(['skin'] as const);
    expect([...toggledSignal(shown, 'knit')]).toEqual(['skin', 'knit']);
    expect([...toggledSignal(shown, 'skin')]).toEqual([]);
    expect([...shown]).toEqual(['skin']);
  });

  it('lists the signals that have a map over any panel, in the bars’ order', () => {
    expect(signalsWithMaps(withMaps())).toEqual(['skin', 'knit']);
    expect(signalsWithMaps(withoutMaps())).toEqual([]);
  });
});

describe('withKeptHeatmaps: a card saved again without maps keeps its saved ones', () => {
  const saved = withMaps();
  const cases: { name: string; result: () => AnalysisResult; saved: AnalysisResult | undefined; kept: boolean }[] = [
    { name: 'same image, same panels, no maps now', result: withoutMaps, saved, kept: true },
    { name: 'nothing saved before', result: withoutMaps, saved: undefined, kept: false },
    { name: 'the new result has its own maps', result: () => ({ ...withMaps(), panels: withMaps().panels.map((panel) => ({ ...panel, heatmaps: { shadow: map([1, 1, 1, 1]), skin: null, knit: null, ceramic: null } })) }), saved, kept: false },
    { name: 'the panels were split differently', result: () => ({ ...withoutMaps(), panels: withoutMaps().panels.map((panel, index) => ({ ...panel, box: [index * 90, 0, 90, 200] as [number, number, number, number] })) }), saved, kept: false },
    { name: 'another image size', result: () => ({ ...withoutMaps(), size: { width: 400, height: 400 } }), saved, kept: false },
    { name: 'the saved analysis has no maps either', result: withoutMaps, saved: withoutMaps(), kept: false },
  ];
  it.each(cases)('$name', ({ result, saved: before, kept }) => {
    const fresh = result();
    const out = withKeptHeatmaps(fresh, before);
    if (kept) {
      expect(out.panels.map((panel) => panel.heatmaps)).toEqual(saved.panels.map((panel) => panel.heatmaps));
      expect(out.panels.map((panel) => panel.label)).toEqual(fresh.panels.map((panel) => panel.label));
    } else {
      expect(out).toBe(fresh);
    }
  });
});

describe('CardPanels', () => {
  let container: HTMLElement;
  let root: Root;
  reactRootEachTest((mounted) => ({ root, container } = mounted));

  it('draws each shown signal’s map over the panel it belongs to, only while active', () => {
    const render = (active: boolean) => act(() => root.render(createElement(CardPanels, { result: withMaps(), width: 400, height: 400, shown: new Set(['knit'] as const), active })));
    render(true);
    const panels = [...container.querySelectorAll<HTMLElement>('.panel')];
    expect(panels.map((panel) => panel.dataset.box)).toEqual(['0,0,100,200', '100,0,100,200']);
    expect(panels.map((panel) => [panel.style.left, panel.style.width, panel.style.height])).toEqual([
      ['0px', '200px', '400px'],
      ['200px', '200px', '400px'],
    ]);
    // Knit has a map over panel A only.
    expect(panels.map((panel) => panel.querySelectorAll('canvas.heatmap[data-signal="knit"]').length)).toEqual([1, 0]);
    render(false);
    expect(container.querySelectorAll('canvas.heatmap')).toHaveLength(0);
  });
});

function libraryCard(analysis: AnalysisResult): LibraryCard {
  const post: PostInfo = { postUrl: 'https://x.com/post/1', pageUrl: 'https://x.com/home', site: 'x.com', author: '@someone', postText: 'Nano Banana vs Flux' };
  return { ...post, ...deriveSearchFields(analysis, post, '', []), hash: analysis.hash ?? '', mime: 'image/webp', byteLength: 2048, savedAt: 0, updatedAt: 0, notes: '', tags: [], deletedAt: 0 };
}

describe('the library’s detail view', () => {
  let container: HTMLElement;
  let root: Root;
  beforeEach(() => {
    container = document.body.appendChild(document.createElement('div'));
    root = createRoot(container);
    // jsdom lays nothing out and has no object URLs: the stage is given a width, the original a URL.
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe(): void {}
        disconnect(): void {}
      },
    );
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(400);
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:original');
    vi.spyOn(URL, 'revokeObjectURL').mockReturnValue(undefined);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  async function render(analysis: AnalysisResult): Promise<void> {
    const props: CardDetailProps = {
      card: libraryCard(analysis),
      loadAnalysis: () => Promise.resolve(analysis),
      renderAnnotated: () => Promise.resolve(new Blob(['png'], { type: 'image/png' })),
      loadOriginal: () => Promise.resolve(new Blob(['webp'], { type: 'image/webp' })),
      onClose: () => {},
      onDelete: () => {},
      onNotesChange: () => Promise.resolve(),
      onTagsChange: () => Promise.resolve(),
    };
    await act(async () => root.render(createElement(CardDetail, props)));
    await act(async () => {});
  }
  const $ = (selector: string) => container.querySelector<HTMLElement>(selector);
  const $$ = (selector: string) => [...container.querySelectorAll<HTMLElement>(selector)];

  it('shows the overlay’s breakdown: bars with evidence, the audit warning, map toggles that paint each panel’s own map', async () => {
    await render(withMaps());
    expect($('[data-testid="detail-stage"] img')?.getAttribute('src')).toBe('blob:original');
    expect($$('[data-testid="detail-stage"] .panel')).toHaveLength(2);
    expect($('.audit')?.className).toContain('audit-uncontrolled');
    const bar = $('.bar[data-signal="skin"][data-panel="0"]');
    expect(bar?.getAttribute('aria-valuenow')).toBe('62');
    expect(document.getElementById(bar?.getAttribute('aria-describedby') ?? '')?.textContent).toContain('texture to noise 0.421');
    expect($$('button.map-toggle').map((button) => button.dataset.signal)).toEqual(['skin', 'knit']);
    act(() => $('button.map-toggle[data-signal="knit"]')?.click());
    expect($$('.panel').map((panel) => panel.querySelectorAll('canvas.heatmap[data-signal="knit"]').length)).toEqual([1, 0]);
    act(() => $('button.map-toggle[data-signal="skin"]')?.click());
    expect($$('.panel canvas.heatmap[data-signal="skin"]')).toHaveLength(2);
    expect(container.textContent).not.toContain('No heat maps were kept');
  });

  it('shows a card saved before heat maps were kept with its bars and no map toggles', async () => {
    await render(withoutMaps());
    expect($$('.bar[role="meter"]')).toHaveLength(4);
    expect($$('button.map-toggle')).toHaveLength(0);
    expect(container.textContent).toContain('No heat maps were kept with this card.');
  });

  it('makes both panels loupe targets once the original has loaded, and a one-panel card none', async () => {
    const load = () => act(() => $('[data-testid="detail-stage"] img')?.dispatchEvent(new Event('load')));
    await render(withMaps());
    expect($$('.panel[tabindex="0"]')).toHaveLength(0);
    load();
    expect($$('.panel[tabindex="0"]').map((panel) => panel.getAttribute('aria-label'))).toEqual(['Panel A: Nano Banana. Loupe', 'Panel B: Flux. Loupe']);
    act(() => root.unmount());
    root = createRoot(container);
    const single = withMaps();
    single.panels = single.panels.slice(0, 1);
    await render(single);
    load();
    expect($$('.panel')).toHaveLength(1);
    expect($$('.panel[tabindex]')).toHaveLength(0);
  });

  it('draws the annotated PNG only when it is asked for', async () => {
    await render(withMaps());
    expect($('img.detail-picture')).toBeNull();
    const details = $('details.annotated') as HTMLDetailsElement;
    await act(async () => {
      details.open = true;
      details.dispatchEvent(new Event('toggle'));
    });
    await act(async () => {});
    expect($('img.detail-picture')?.getAttribute('src')).toBe('blob:original');
  });
});
