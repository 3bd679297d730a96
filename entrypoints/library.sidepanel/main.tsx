import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { LibraryView } from '@/components/library/LibraryView';
import { newestLiveCards, purgeDeleted, watchLiveCards } from '@/lib/db/cards';
import { openLibrary } from '@/lib/db/schema';
import type { LibraryCard } from '@/lib/library/types';
import { libraryActions } from './actions';
import '@/components/overlay/card-parts.css';
import './style.css';

/** Enough of the newest cards to fill the first screen of a large window, read before the whole library. */
const FIRST_SCREEN_CARDS = 120;
/** Cards deleted this long ago are past any undo (a page closed during its undo window left them). */
const STALE_DELETION_MS = 60_000;

const opening = openLibrary();
const actions = libraryActions(opening);

function LibraryPage() {
  const [library, setLibrary] = useState<{ cards: LibraryCard[]; complete: boolean } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let unsubscribe = () => {};
    let closed = false;
    let complete = false;
    opening
      .then(async (database) => {
        // The first screen paints from a small indexed read; the whole library follows for search and filters.
        const newest = await newestLiveCards(database, FIRST_SCREEN_CARDS);
        if (closed) return;
        if (!complete) setLibrary({ cards: newest, complete: newest.length < FIRST_SCREEN_CARDS });
        unsubscribe = watchLiveCards(
          database,
          (cards) => {
            complete = true;
            setLibrary({ cards, complete: true });
          },
          (error) => setLoadError(error.message),
        );
        void purgeDeleted(database, { deletedBefore: Date.now() - STALE_DELETION_MS }).catch(() => undefined);
      })
      .catch((error: unknown) => setLoadError(error instanceof Error ? error.message : String(error)));
    return () => {
      closed = true;
      unsubscribe();
    };
  }, []);

  return <LibraryView cards={library?.cards ?? null} complete={library?.complete ?? false} loadError={loadError} actions={actions} />;
}

const container = document.getElementById('root');
if (container) createRoot(container).render(<LibraryPage />);
