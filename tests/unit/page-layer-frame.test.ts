import { describe, expect, it } from 'vitest';
import { sameLayerFrame, type LayerCardFrame, type LayerFrame } from '../../lib/page/layer-frame';

const result = { isComparison: true };
const image = { localName: 'img' };
const card = (key: string, left = 10, top = 20): LayerCardFrame => ({ key, result, image, rect: { left, top, width: 600, height: 300 } });

describe('sameLayerFrame', () => {
  it('is the same for equal cards in equal places and the same theme', () => {
    expect(sameLayerFrame({ cards: [card('a'), card('b', 10, 400)], theme: 'dark' }, { cards: [card('a'), card('b', 10, 400)], theme: 'dark' })).toBe(true);
    expect(sameLayerFrame({ cards: [], theme: 'light' }, { cards: [], theme: 'light' })).toBe(true);
  });

  it.each([
    ['a card moved', { cards: [card('a', 10, 21)], theme: 'dark' }],
    ['a card resized', { cards: [{ ...card('a'), rect: { left: 10, top: 20, width: 601, height: 300 } }], theme: 'dark' }],
    ['another card', { cards: [card('b')], theme: 'dark' }],
    ['a card more', { cards: [card('a'), card('b')], theme: 'dark' }],
    ['no card', { cards: [], theme: 'dark' }],
    ['another theme', { cards: [card('a')], theme: 'light' }],
    ['a new result for the card', { cards: [{ ...card('a'), result: { isComparison: true } }], theme: 'dark' }],
    ['another image element', { cards: [{ ...card('a'), image: { localName: 'img' } }], theme: 'dark' }],
  ])('differs when there is %s', (_, next) => {
    expect(sameLayerFrame({ cards: [card('a')], theme: 'dark' }, next)).toBe(false);
  });

  it('compares the on-demand offer by key and place', () => {
    const offer = (key: string, left = 10) => ({ key, rect: { left, top: 20, width: 600, height: 300 } });
    const frame = (offered: LayerFrame['offer']) => ({ cards: [card('a')], theme: 'dark', offer: offered });
    expect(sameLayerFrame(frame(offer('o1')), frame(offer('o1')))).toBe(true);
    expect(sameLayerFrame(frame(null), { cards: [card('a')], theme: 'dark' })).toBe(true);
    expect(sameLayerFrame(frame(offer('o1')), frame(null))).toBe(false);
    expect(sameLayerFrame(frame(null), frame(offer('o1')))).toBe(false);
    expect(sameLayerFrame(frame(offer('o1')), frame(offer('o2')))).toBe(false);
    expect(sameLayerFrame(frame(offer('o1')), frame(offer('o1', 11)))).toBe(false);
    // The same picture offered by the focus instead of the pointer (announced), or its shortcut learnt.
    expect(sameLayerFrame(frame({ ...offer('o1'), by: 'pointer' }), frame({ ...offer('o1'), by: 'focus' }))).toBe(false);
    expect(sameLayerFrame(frame({ ...offer('o1'), shortcut: null }), frame({ ...offer('o1'), shortcut: 'Alt+Shift+S' }))).toBe(false);
  });

  it('differs when the same cards come in another order', () => {
    expect(sameLayerFrame({ cards: [card('a'), card('b', 10, 400)], theme: 'dark' }, { cards: [card('b', 10, 400), card('a')], theme: 'dark' })).toBe(false);
  });

  it('compares a two-picture card picture by picture', () => {
    const picture = (left: number) => ({ rect: { left, top: 20, width: 300, height: 300 }, image });
    const pair = (secondLeft: number): LayerCardFrame => ({ ...card('p'), pictures: [picture(10), picture(secondLeft)] });
    expect(sameLayerFrame({ cards: [pair(310)], theme: 'dark' }, { cards: [pair(310)], theme: 'dark' })).toBe(true);
    expect(sameLayerFrame({ cards: [pair(310)], theme: 'dark' }, { cards: [pair(312)], theme: 'dark' })).toBe(false);
    expect(sameLayerFrame({ cards: [pair(310)], theme: 'dark' }, { cards: [card('p')], theme: 'dark' })).toBe(false);
  });
});
