// @vitest-environment jsdom
import { act, createElement } from 'react';
import { type Root } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { CardOverlay } from '../../components/CardOverlay';
import { sampleAnalysis } from './library-fixtures';
import { reactRootEachTest } from './react-root';

Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });

describe("the overlay's Save button", () => {
  let container: HTMLElement;
  let root: Root;

  reactRootEachTest((mounted) => ({ root, container } = mounted));

  function render(onSave?: () => Promise<void>): HTMLButtonElement | null {
    act(() => root.render(createElement(CardOverlay, { rect: { left: 0, top: 0, width: 200, height: 200 }, result: sampleAnalysis({ hash: 'a' }), onSave })));
    return container.querySelector<HTMLButtonElement>('button.save');
  }

  it('is absent without a save callback', () => {
    expect(render()).toBeNull();
  });

  it('goes idle → saving → saved, labelled for screen readers at each step', async () => {
    let finish = () => {};
    const button = render(() => new Promise<void>((resolve) => (finish = resolve)));
    expect(button?.getAttribute('aria-label')).toBe('Save this card to the Sidelight library');
    act(() => button?.click());
    expect(button?.dataset.state).toBe('saving');
    expect(button?.getAttribute('aria-busy')).toBe('true');
    await act(async () => finish());
    expect(button?.dataset.state).toBe('saved');
    expect(button?.textContent).toBe('Saved');
    expect(button?.getAttribute('aria-label')).toMatch(/^Saved to the Sidelight library/);
  });

  it('shows why a save failed, as an alert tied to the button, and lets the user retry', async () => {
    let attempts = 0;
    const button = render(async () => {
      if (attempts++ === 0) throw new Error('The library is out of storage space, so this was not saved.');
    });
    await act(async () => button?.click());
    const alert = container.querySelector('[role="alert"]');
    expect(alert?.textContent).toBe('The library is out of storage space, so this was not saved.');
    expect(button?.getAttribute('aria-describedby')).toBe(alert?.id);
    expect(button?.textContent).toBe('Retry save');
    await act(async () => button?.click());
    expect(button?.dataset.state).toBe('saved');
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });
});
