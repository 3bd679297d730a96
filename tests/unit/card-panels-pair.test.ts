// @vitest-environment jsdom
import { act, createElement } from 'react';
import { type Root } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { CardPanels } from '../../components/overlay/CardPanels';
import { encodeHeatmap } from '../../lib/engine/heatmap-codec';
import { pairLayout, pairPanelBoxes, pairSource } from '../../lib/engine/pair';
import type { AnalysisResult, SignalName } from '../../lib/engine/types';
import { pairBoxes } from '../../lib/page/pairs';
import { sampleAnalysis } from './library-fixtures';
import { reactRootEachTest } from './react-root';

Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });

/** A pair of a 600×400 and a 400×400 picture: panels [0,0,600,400] and [612,0,400,400] on a 1012×400 card. */
function pairResult(): AnalysisResult {
  const layout = pairLayout({ width: 600, height: 400 }, { width: 400, height: 400 });
  const result = sampleAnalysis({ hash: 'd'.repeat(64), labels: ['Nano Banana Pro', 'GPT Image 2'], signals: { skin: [60, 50] }, realism: [60, 50], winner: null, controlled: false });
  const boxes = pairPanelBoxes(layout);
  result.size = { width: layout.width, height: layout.height };
  result.panels = result.panels.map((panel, index) => ({
    ...panel,
    box: boxes[index] as [number, number, number, number],
    // A map spanning the whole panel: one cell per 200 panel pixels.
    heatmaps: { shadow: null, skin: cellsOver(boxes[index] as number[]), knit: null, ceramic: null },
  }));
  result.source = pairSource([
    { file: 'a.jpg', hash: 'a'.repeat(64), width: 600, height: 400 },
    { file: 'b.jpg', hash: 'b'.repeat(64), width: 400, height: 400 },
  ]);
  return result;
}

function cellsOver([, , width, height]: number[]) {
  const cells = { width: width! / 200, height: height! / 200 };
  return encodeHeatmap({ data: Float32Array.from({ length: cells.width * cells.height }, (_, index) => index % 2), ...cells, scale: 1 / 200 });
}

/** A stand-in for the page's <img>: the loupe only reads its natural size and draws it. */
function picture(width: number, height: number): HTMLImageElement {
  const image = document.createElement('img');
  Object.defineProperty(image, 'naturalWidth', { value: width });
  Object.defineProperty(image, 'naturalHeight', { value: height });
  return image;
}

describe('the pair overlay geometry', () => {
  it.each([
    ['side by side with a gap', { left: 100, top: 50, width: 250, height: 180 }, { left: 354, top: 50, width: 250, height: 250 }, { left: 100, top: 50, width: 504, height: 250 }, { left: 254, top: 0 }],
    ['stacked', { left: 10, top: 500, width: 300, height: 200 }, { left: 10, top: 704, width: 300, height: 300 }, { left: 10, top: 500, width: 300, height: 504 }, { left: 0, top: 204 }],
  ])('spans both pictures, each panel where its picture is: %s', (_name, first, second, union, secondAt) => {
    const boxes = pairBoxes(first, second);
    expect(boxes.union).toEqual(union);
    expect(boxes.panels[0]).toEqual({ left: first.left - union.left, top: first.top - union.top, width: first.width, height: first.height });
    expect(boxes.panels[1]).toEqual({ ...secondAt, width: second.width, height: second.height });
  });
});

describe('CardPanels over two pictures', () => {
  let container: HTMLElement;
  let root: Root;
  reactRootEachTest((mounted) => ({ root, container } = mounted));

  it('places each panel and its heat map on its own picture, not on the scaled card', () => {
    const { union, panels } = pairBoxes({ left: 0, top: 0, width: 300, height: 200 }, { left: 304, top: 0, width: 200, height: 200 });
    const pictures = panels.map((rect, index) => ({ rect, image: index === 0 ? picture(1200, 800) : picture(800, 800) }));
    act(() => root.render(createElement(CardPanels, { result: pairResult(), width: union.width, height: union.height, shown: new Set(['skin'] as const), pictures, active: true })));
    const shown = [...container.querySelectorAll<HTMLElement>('.panel')];
    expect(shown.map((panel) => [panel.style.left, panel.style.top, panel.style.width, panel.style.height])).toEqual([
      ['0px', '0px', '300px', '200px'],
      ['304px', '0px', '200px', '200px'],
    ]);
    // Each panel's map covers that panel exactly (its grid spans the panel box, stretched to the picture).
    const maps = shown.map((panel) => panel.querySelector<HTMLCanvasElement>('canvas.heatmap[data-signal="skin"]'));
    expect(maps.map((map) => [map?.style.width, map?.style.height])).toEqual([
      ['300px', '200px'],
      ['200px', '200px'],
    ]);
    // Both pictures loaded: both panels are loupe targets.
    expect(shown.map((panel) => panel.getAttribute('tabindex'))).toEqual(['0', '0']);
  });

  it('opens the loupe on the same spot of both pictures, each drawn from its own image', () => {
    const { union, panels } = pairBoxes({ left: 0, top: 0, width: 300, height: 200 }, { left: 304, top: 0, width: 200, height: 200 });
    const pictures = panels.map((rect, index) => ({ rect, image: index === 0 ? picture(1200, 800) : picture(800, 800) }));
    act(() => root.render(createElement(CardPanels, { result: pairResult(), width: union.width, height: union.height, shown: new Set<SignalName>(), pictures, active: true })));
    const second = container.querySelector<HTMLElement>('.panel-1') as HTMLElement;
    act(() => second.focus());
    const views = [...container.querySelectorAll<HTMLCanvasElement>('[data-testid="sidelight-loupe"] canvas')];
    expect(views).toHaveLength(2);
    // Focus puts the spot at the panel centre: both windows are centred in their own panels (result pixels).
    const windows = views.map((view) => view.dataset.sourceRect?.split(',').map(Number) ?? []);
    const boxes = pairResult().panels.map((panel) => panel.box);
    windows.forEach(([x, y, width, height], index) => {
      const [left, top, panelWidth, panelHeight] = boxes[index] as number[];
      expect(x! + width! / 2).toBeCloseTo(left! + panelWidth! / 2, 0);
      expect(y! + height! / 2).toBeCloseTo(top! + panelHeight! / 2, 0);
    });
  });

  it('offers no loupe until both pictures are there', () => {
    const { union, panels } = pairBoxes({ left: 0, top: 0, width: 300, height: 200 }, { left: 304, top: 0, width: 200, height: 200 });
    const pictures = [{ rect: panels[0], image: picture(1200, 800) }, { rect: panels[1] }];
    act(() => root.render(createElement(CardPanels, { result: pairResult(), width: union.width, height: union.height, shown: new Set<SignalName>(), pictures, active: true })));
    expect([...container.querySelectorAll('.panel')].map((panel) => panel.getAttribute('tabindex'))).toEqual([null, null]);
  });
});
