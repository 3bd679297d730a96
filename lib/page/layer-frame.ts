/**
 * What the overlay layer draws in one frame, and whether a new frame draws the same: a scroll
 * moves nothing in document coordinates, so most frames ask React for nothing.
 */

export interface LayerCardFrame {
  key: string;
  /** Compared by identity: a card's result object is replaced, never changed in place. */
  result: unknown;
  image?: unknown;
  rect: { left: number; top: number; width: number; height: number };
}

export interface LayerFrame {
  cards: readonly LayerCardFrame[];
  theme: string;
}

/** Whether two frames draw the same: the same cards, in the same order and places, with the same theme. */
export function sameLayerFrame(a: LayerFrame, b: LayerFrame): boolean {
  if (a.theme !== b.theme || a.cards.length !== b.cards.length) return false;
  return a.cards.every((card, index) => {
    const other = b.cards[index];
    return (
      other !== undefined &&
      card.key === other.key &&
      card.result === other.result &&
      card.image === other.image &&
      card.rect.left === other.rect.left &&
      card.rect.top === other.rect.top &&
      card.rect.width === other.rect.width &&
      card.rect.height === other.rect.height
    );
  });
}
