// @vitest-environment jsdom
import { act, createElement } from 'react';
import { type Root } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { OverlayLayer, type OverlayCard, type OverlayLayerProps } from '../../components/OverlayLayer';
import type { AnalysisResult } from '../../lib/engine/types';
import { sampleAnalysis } from './library-fixtures';
import { reactRootEachTest } from './react-root';

Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });

/** A result that counts how often rendering reads it: a card that is rendered again reads its result again. */
function countedResult(hash: string): { result: AnalysisResult; reads: () => number } {
  let reads = 0;
  const result = new Proxy(sampleAnalysis({ hash, labels: ['Nano Banana', 'Flux'], realism: [70, 50], winner: 0 }), {
    get(target, property, receiver) {
      reads++;
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return { result, reads: () => reads };
}

describe('the overlay layer', () => {
  let root: Root;
  let container: HTMLElement;
  reactRootEachTest((mounted) => ({ root, container } = mounted));

  const onSave = () => Promise.resolve();
  const onDismiss = () => undefined;
  const render = (cards: OverlayCard[], props: Partial<OverlayLayerProps> = {}) => act(() => root.render(createElement(OverlayLayer, { cards, onSave, onDismiss, ...props })));
  const cardAt = (key: string, result: AnalysisResult, left: number): OverlayCard => ({ key, result, rect: { left, top: 10, width: 300, height: 200 } });

  it('renders again only the cards whose frame changed', () => {
    const first = countedResult('a');
    const second = countedResult('b');
    render([cardAt('card-0', first.result, 0)]);
    const firstReads = first.reads();
    expect(firstReads).toBeGreaterThan(0);

    // A new frame: the first card handed over again as new, equal objects, and a second card.
    render([cardAt('card-0', first.result, 0), cardAt('card-1', second.result, 400)]);
    expect(first.reads()).toBe(firstReads);
    expect(second.reads()).toBeGreaterThan(0);
    expect(container.querySelectorAll('[data-testid="sidelight-card"]')).toHaveLength(2);

    // The first card moves: it is drawn again, at its new place.
    render([cardAt('card-0', first.result, 50), cardAt('card-1', second.result, 400)]);
    expect(first.reads()).toBeGreaterThan(firstReads);
    expect((container.querySelector('[data-testid="sidelight-card"]') as HTMLElement).style.left).toBe('50px');
  });

  it('hands each card its own key to Save and Dismiss', async () => {
    const saved: string[] = [];
    const dismissed: string[] = [];
    const props = { onSave: (key: string) => Promise.resolve(void saved.push(key)), onDismiss: (key: string) => void dismissed.push(key) };
    render([cardAt('card-0', countedResult('a').result, 0), cardAt('card-1', countedResult('b').result, 400)], props);
    const cards = [...container.querySelectorAll<HTMLElement>('[data-testid="sidelight-card"]')];
    await act(async () => cards[1]?.querySelector<HTMLButtonElement>('button.save')?.click());
    act(() => cards[0]?.querySelector<HTMLButtonElement>('button.dismiss')?.click());
    expect(saved).toEqual(['card-1']);
    expect(dismissed).toEqual(['card-0']);
  });

  it('shows a running analysis as a busy status with no actions, and a failure as text with a dismiss', () => {
    const rect = { left: 0, top: 10, width: 300, height: 200 };
    const dismissed: string[] = [];
    const props = { onDismiss: (key: string) => void dismissed.push(key) };
    render([{ key: 'card-0', rect, status: { kind: 'pending', modelsLoading: true } }], props);
    const pending = container.querySelector<HTMLElement>('[data-testid="sidelight-status"] [role="status"]');
    expect(pending?.textContent).toContain('Loading models…');
    expect(pending?.getAttribute('aria-busy')).toBe('true');
    expect(container.querySelector('[data-testid="sidelight-status"] button')).toBeNull();

    // The reason is the engine's or the network's words: shown as text, never as markup.
    render([{ key: 'card-0', rect, status: { kind: 'failed', message: 'HTTP 404 <img src=x onerror=alert(1)>' } }], props);
    const failed = container.querySelector<HTMLElement>('[data-testid="sidelight-status"]');
    expect(failed?.dataset.status).toBe('failed');
    expect(failed?.textContent).toContain('Couldn’t analyse: HTTP 404 <img src=x onerror=alert(1)>');
    expect(failed?.querySelector('img')).toBeNull();
    expect(failed?.querySelector('[role="status"]')?.getAttribute('aria-busy')).toBe('false');
    act(() => failed?.querySelector<HTMLButtonElement>('button.dismiss')?.click());
    expect(dismissed).toEqual(['card-0']);
  });

  it('replaces a status with the card overlay when the result comes', () => {
    const rect = { left: 0, top: 10, width: 300, height: 200 };
    render([{ key: 'card-0', rect, status: { kind: 'pending', modelsLoading: false } }]);
    expect(container.querySelector('[data-testid="sidelight-status"]')?.textContent).toContain('Analysing…');
    render([cardAt('card-0', countedResult('a').result, 0)]);
    expect(container.querySelector('[data-testid="sidelight-status"]')).toBeNull();
    expect(container.querySelectorAll('[data-testid="sidelight-card"]')).toHaveLength(1);
  });

  it('offers to analyse a picture with a labelled button on its corner, and hands the click over with its trust', () => {
    const asked: boolean[] = [];
    const rect = { left: 40, top: 60, width: 300, height: 200 };
    const status = () => container.querySelector('[role="status"]')?.textContent;
    render([], { offer: { key: 'offer-1', rect, by: 'pointer', shortcut: 'Alt+Shift+S' }, onAnalyse: (trusted) => void asked.push(trusted) });
    const offer = container.querySelector<HTMLElement>('[data-testid="sidelight-offer"]');
    expect(offer?.style.left).toBe('40px');
    expect(offer?.style.top).toBe('60px');
    const button = offer?.querySelector('button');
    expect(button?.getAttribute('aria-label')).toBe('Analyse this image with Sidelight (Alt+Shift+S)');
    expect(button?.getAttribute('aria-keyshortcuts')).toBe('Alt+Shift+S');
    // A pointer's offer is seen, not announced.
    expect(status()).toBe('');
    // A script's click (as a page could make one) is handed over as untrusted: the overlay refuses it.
    act(() => button?.click());
    expect(asked).toEqual([false]);

    // The focused post's offer is announced; without a shortcut set, no key is named.
    render([], { offer: { key: 'offer-2', rect, by: 'focus', shortcut: null }, onAnalyse: () => undefined });
    expect(status()).toBe('Sidelight can analyse the picture in this post.');
    const unkeyed = container.querySelector('[data-testid="sidelight-offer"] button');
    expect(unkeyed?.getAttribute('aria-label')).toBe('Analyse this image with Sidelight');
    expect(unkeyed?.hasAttribute('aria-keyshortcuts')).toBe(false);
    render([], { offer: { key: 'offer-2', rect, by: 'focus', shortcut: 'Alt+Shift+S' }, onAnalyse: () => undefined });
    expect(status()).toBe('Sidelight can analyse the picture in this post: press Alt+Shift+S.');

    // No offer, or no one to hand a click to: no button, nothing announced.
    render([], { offer: null, onAnalyse: () => undefined });
    expect(container.querySelector('[data-testid="sidelight-offer"]')).toBeNull();
    expect(status()).toBe('');
    render([], { offer: { key: 'offer-1', rect, by: 'focus', shortcut: null } });
    expect(container.querySelector('[data-testid="sidelight-offer"]')).toBeNull();
  });
});
