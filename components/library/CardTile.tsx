import { memo, useEffect, useState } from 'react';
import type { LibraryCard } from '@/lib/library/types';
import { cardTitle, shortDate, sourceText, verdictText } from './format';

export interface CardTileProps {
  card: LibraryCard;
  selected: boolean;
  loadThumbnail: (hash: string) => Promise<string | null>;
  onOpen: (hash: string) => void;
  onToggleSelected: (hash: string) => void;
}

/** One saved card in the grid: thumbnail, labels, verdict and source; opens the detail view. */
export const CardTile = memo(function CardTile({ card, selected, loadThumbnail, onOpen, onToggleSelected }: CardTileProps) {
  const [thumbnail, setThumbnail] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    loadThumbnail(card.hash).then(
      (url) => current && setThumbnail(url),
      () => current && setThumbnail(null),
    );
    return () => {
      current = false;
    };
  }, [card.hash, loadThumbnail]);

  const title = cardTitle(card);
  return (
    <article className="tile" data-hash={card.hash} data-selected={selected}>
      <button type="button" className="tile-open" onClick={() => onOpen(card.hash)} aria-label={`${title}. ${verdictText(card)}. ${sourceText(card)}. Open details`}>
        <span className="tile-thumb">{thumbnail ? <img src={thumbnail} alt="" data-thumb={card.hash} decoding="async" /> : null}</span>
        <span className="tile-title">{title}</span>
        <span className={`tile-verdict verdict-${card.verdict}`}>{verdictText(card)}</span>
        <span className="tile-meta">
          {sourceText(card)} · {shortDate(card.savedAt)}
        </span>
      </button>
      <input type="checkbox" className="tile-select" checked={selected} onChange={() => onToggleSelected(card.hash)} aria-label={`Select ${title}`} />
    </article>
  );
});
