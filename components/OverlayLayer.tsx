import type { AnalysisResult } from '@/lib/engine/types';
import { CardOverlay, type PageRect } from './CardOverlay';

export interface OverlayCard {
  key: string;
  rect: PageRect;
  result: AnalysisResult;
}

/** Everything Sidelight draws on a page, in one zero-size layer at the document origin. */
export function OverlayLayer({ cards, onSave }: { cards: OverlayCard[]; onSave?: (key: string) => Promise<void> }) {
  return (
    <div className="layer">
      {cards.map((card) => (
        <CardOverlay key={card.key} rect={card.rect} result={card.result} onSave={onSave && (() => onSave(card.key))} />
      ))}
    </div>
  );
}
