/** Test helper: a fresh React root in a fresh container for each test, unmounted and removed after it. */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach } from 'vitest';

/** Registers the before/after hooks; `made` hands each test's root and container to the caller's variables. */
export function reactRootEachTest(made: (mounted: { root: Root; container: HTMLElement }) => void): void {
  let mounted: { root: Root; container: HTMLElement } | null = null;
  beforeEach(() => {
    const container = document.body.appendChild(document.createElement('div'));
    mounted = { root: createRoot(container), container };
    made(mounted);
  });
  afterEach(() => {
    const current = mounted;
    if (!current) return;
    act(() => current.root.unmount());
    current.container.remove();
    mounted = null;
  });
}
