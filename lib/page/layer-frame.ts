/**
 * What the overlay layer draws in one frame, and whether a new frame draws the same: a scroll
 * moves nothing in document coordinates, so most frames ask React for nothing, and a frame that
 * adds one card re-renders only that card.
 */

export interface LayerCardFrame {
  key: string;
  /** Compared by identity: a card's result object is replaced, never changed in place. */
  result?: unknown;
  /** Its running / failed state, before a result; compared by identity like `result`. */
  status?: unknown;
  image?: unknown;
  rect: Rect;
  /** A two-picture card: each panel's picture and where it sits. */
  pictures?: readonly { rect: Rect; image?: unknown }[];
}

interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

function sameRect(a: Rect, b: Rect): boolean {
  return a.left === b.left && a.top === b.top && a.width === b.width && a.height === b.height;
}

function samePictures(a: LayerCardFrame['pictures'], b: LayerCardFrame['pictures']): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((picture, index) => picture.image === b[index]?.image && sameRect(picture.rect, (b[index] as { rect: Rect }).rect));
}

export interface LayerFrame {
  cards: readonly LayerCardFrame[];
  theme: string;
  /** On-demand mode: the picture offered for analysis (its key and place), if any. */
  offer?: { key: string; rect: Rect; by?: string; shortcut?: string | null } | null;
}

function sameOffer(a: LayerFrame['offer'], b: LayerFrame['offer']): boolean {
  if (!a || !b) return !a && !b;
  return a.key === b.key && a.by === b.by && a.shortcut === b.shortcut && sameRect(a.rect, b.rect);
}

/** Whether two frames' cards draw the same: the same card, result and picture(s), in the same place. */
export function sameLayerCard(card: LayerCardFrame, other: LayerCardFrame): boolean {
  return (
    card.key === other.key &&
    card.result === other.result &&
    card.status === other.status &&
    card.image === other.image &&
    sameRect(card.rect, other.rect) &&
    samePictures(card.pictures, other.pictures)
  );
}

/** Whether two frames draw the same: the same cards (and offer), in the same order and places, with the same theme. */
export function sameLayerFrame(a: LayerFrame, b: LayerFrame): boolean {
  if (a.theme !== b.theme || a.cards.length !== b.cards.length || !sameOffer(a.offer, b.offer)) return false;
  return a.cards.every((card, index) => {
    const other = b.cards[index];
    return other !== undefined && sameLayerCard(card, other);
  });
}
