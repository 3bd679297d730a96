import { memo, useMemo } from 'react';
import type { AnalysisResult } from '@/lib/engine/types';
import type { CardStatus } from '../lib/page/card-status';
import { sameLayerCard } from '../lib/page/layer-frame';
import { CardOverlay, type CardOverlayProps, type PageRect } from './CardOverlay';
import { AnalyseOffer, offerAnnouncement } from './overlay/AnalyseOffer';
import { StatusBadge } from './overlay/StatusBadge';

export interface OverlayCard {
  key: string;
  rect: PageRect;
  /** The card's analysis; absent while it runs or when it failed (`status` says which). */
  result?: AnalysisResult;
  /** Shown instead of the card's overlay until a result comes. */
  status?: CardStatus;
  /** The page's image, for the loupe. */
  image?: CardOverlayProps['image'];
  /** A card made of two pictures of one post: each panel's picture (CardOverlayProps). */
  pictures?: CardOverlayProps['pictures'];
}

/** On-demand mode: a picture offered for analysis (under the pointer or in focus). */
export interface LayerOffer {
  key: string;
  rect: PageRect;
  /** What made the offer: a focus offer is also announced to screen readers. */
  by: 'pointer' | 'focus';
  /** The keyboard shortcut that takes it up, as the browser has it; null when none is set (or not known yet). */
  shortcut: string | null;
}

export interface OverlayLayerProps {
  cards: OverlayCard[];
  offer?: LayerOffer | null;
  /** The offer's button: analyse the offered picture (`trusted`: a real click, not a page's script). */
  onAnalyse?: (trusted: boolean) => void;
  onSave?: (key: string) => Promise<void>;
  onCopy?: (text: string) => Promise<void>;
  onDismiss?: (key: string) => void;
  /** The page's own scheme; null follows the system's (prefers-color-scheme). */
  theme?: 'light' | 'dark' | null;
}

/** Everything Sidelight draws on a page, in one zero-size layer at the document origin. */
export function OverlayLayer({ cards, offer = null, onAnalyse, onSave, onCopy, onDismiss, theme = null }: OverlayLayerProps) {
  return (
    <div className="layer" data-theme={theme ?? undefined}>
      {cards.map((card) => (
        <LayerCard key={card.key} card={card} onSave={onSave} onCopy={onCopy} onDismiss={onDismiss} />
      ))}
      {offer && onAnalyse && <AnalyseOffer key={offer.key} rect={offer.rect} shortcut={offer.shortcut} onAnalyse={onAnalyse} />}
      {/* Always there, so a screen reader hears when the focused post's picture can be analysed. */}
      <p className="visually-hidden" role="status" aria-live="polite">
        {offer?.by === 'focus' && onAnalyse ? offerAnnouncement(offer.shortcut) : ''}
      </p>
    </div>
  );
}

interface LayerCardProps extends Pick<OverlayLayerProps, 'onSave' | 'onCopy' | 'onDismiss'> {
  card: OverlayCard;
}

/**
 * One card of the layer. A frame that adds a card or moves one hands every card over again as
 * new objects; the cards that draw the same (lib/page/layer-frame) are not rendered again.
 */
const LayerCard = memo(
  function LayerCard({ card, onSave, onCopy, onDismiss }: LayerCardProps) {
    const { key } = card;
    const save = useMemo(() => onSave && (() => onSave(key)), [onSave, key]);
    const dismiss = useMemo(() => onDismiss && (() => onDismiss(key)), [onDismiss, key]);
    if (!card.result) return card.status ? <StatusBadge rect={card.rect} status={card.status} onDismiss={dismiss} /> : null;
    return <CardOverlay rect={card.rect} result={card.result} image={card.image} pictures={card.pictures} onSave={save} onCopy={onCopy} onDismiss={dismiss} />;
  },
  (before, after) => before.onSave === after.onSave && before.onCopy === after.onCopy && before.onDismiss === after.onDismiss && sameLayerCard(before.card, after.card),
);
