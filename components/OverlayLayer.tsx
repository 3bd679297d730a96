import type { AnalysisResult } from '@/lib/engine/types';
import { CardOverlay, type CardOverlayProps, type PageRect } from './CardOverlay';

export interface OverlayCard {
  key: string;
  rect: PageRect;
  result: AnalysisResult;
  /** The page's image, for the loupe. */
  image?: CardOverlayProps['image'];
  /** A card made of two pictures of one post: each panel's picture (CardOverlayProps). */
  pictures?: CardOverlayProps['pictures'];
}

export interface OverlayLayerProps {
  cards: OverlayCard[];
  onSave?: (key: string) => Promise<void>;
  onCopy?: (text: string) => Promise<void>;
  onDismiss?: (key: string) => void;
  /** The page's own scheme; null follows the system's (prefers-color-scheme). */
  theme?: 'light' | 'dark' | null;
}

/** Everything Sidelight draws on a page, in one zero-size layer at the document origin. */
export function OverlayLayer({ cards, onSave, onCopy, onDismiss, theme = null }: OverlayLayerProps) {
  return (
    <div className="layer" data-theme={theme ?? undefined}>
      {cards.map((card) => (
        <CardOverlay
          key={card.key}
          rect={card.rect}
          result={card.result}
          image={card.image}
          pictures={card.pictures}
          onSave={onSave && (() => onSave(card.key))}
          onCopy={onCopy}
          onDismiss={onDismiss && (() => onDismiss(card.key))}
        />
      ))}
    </div>
  );
}
