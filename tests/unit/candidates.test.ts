import { describe, expect, it } from 'vitest';
import { couldBeCard, distanceToViewportCentre } from '../../lib/page/candidates';

describe('couldBeCard', () => {
  it.each([
    ['a 2:1 card shown at 600 px', { naturalWidth: 2048, naturalHeight: 1024, renderedWidth: 600, renderedHeight: 300 }, true],
    ['a stacked 1:2 card', { naturalWidth: 800, naturalHeight: 1600, renderedWidth: 300, renderedHeight: 600 }, true],
    ['an avatar', { naturalWidth: 96, naturalHeight: 96, renderedWidth: 48, renderedHeight: 48 }, false],
    ['a big image shown as a thumbnail', { naturalWidth: 1200, naturalHeight: 800, renderedWidth: 60, renderedHeight: 40 }, false],
    ['a 6:1 banner', { naturalWidth: 1800, naturalHeight: 300, renderedWidth: 900, renderedHeight: 150 }, false],
    ['exactly 4:1', { naturalWidth: 1600, naturalHeight: 400, renderedWidth: 800, renderedHeight: 200 }, true],
  ])('%s → %s', (_label, metrics, expected) => {
    expect(couldBeCard(metrics)).toBe(expected);
  });
});

describe('distanceToViewportCentre', () => {
  it('is 0 for an image across the centre line and grows with distance', () => {
    expect(distanceToViewportCentre(100, 800, 900)).toBe(0);
    expect(distanceToViewportCentre(600, 100, 900)).toBe(150);
    expect(distanceToViewportCentre(-500, 100, 900)).toBe(850);
  });
});
