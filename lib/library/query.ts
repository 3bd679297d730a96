import type { LibraryCard, LibraryQuery, SortKey } from './types';

/** Search terms: lower-case, split on whitespace. */
export function searchTerms(text: string | undefined): string[] {
  return (text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}

/** Does a live card pass every filter and contain every search term? */
export function matchesQuery(card: LibraryCard, query: LibraryQuery, terms = searchTerms(query.text)): boolean {
  if (card.deletedAt) return false;
  if (query.site && card.site !== query.site) return false;
  if (query.label) {
    const wanted = query.label.toLowerCase();
    if (!card.labels.some((label) => label.toLowerCase() === wanted)) return false;
  }
  if (query.tag && !card.tags.includes(query.tag)) return false;
  if (query.controlled && query.controlled !== 'any' && card.controlled !== query.controlled) return false;
  if (query.verdict === 'decided' && card.verdict === 'none') return false;
  if (query.verdict === 'undecided' && card.verdict !== 'none') return false;
  return terms.every((term) => card.searchText.includes(term));
}

function sortValue(card: LibraryCard, key: SortKey): number | null {
  if (key === 'savedAt' || key === 'updatedAt') return card[key];
  return card.scores[key];
}

/**
 * Orders cards by the query's key (newest saved first by default). Cards without a value for a
 * score sort last in either direction; ties fall back to newest saved, then hash, so the order is stable.
 */
export function compareCards(sort: SortKey = 'savedAt', direction: 'asc' | 'desc' = 'desc'): (a: LibraryCard, b: LibraryCard) => number {
  const sign = direction === 'asc' ? 1 : -1;
  return (a, b) => {
    const left = sortValue(a, sort);
    const right = sortValue(b, sort);
    if (left !== right) {
      if (left === null) return 1;
      if (right === null) return -1;
      return sign * (left - right);
    }
    if (a.savedAt !== b.savedAt) return b.savedAt - a.savedAt;
    return a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0;
  };
}

/** The cards a query shows, in order. Pure: the library page runs it in memory on every keystroke. */
export function applyQuery(cards: readonly LibraryCard[], query: LibraryQuery): LibraryCard[] {
  const terms = searchTerms(query.text);
  return cards.filter((card) => matchesQuery(card, query, terms)).sort(compareCards(query.sort, query.direction));
}

export interface LibraryFacets {
  sites: string[];
  /** Labels as first seen (case kept), one per case-insensitive spelling, alphabetical. */
  labels: string[];
  tags: string[];
}

/** The values the filter menus offer: every site, model label and tag among live cards. */
export function libraryFacets(cards: readonly LibraryCard[]): LibraryFacets {
  const sites = new Set<string>();
  const labels = new Map<string, string>();
  const tags = new Set<string>();
  for (const card of cards) {
    if (card.deletedAt) continue;
    if (card.site) sites.add(card.site);
    for (const label of card.labels) if (!labels.has(label.toLowerCase())) labels.set(label.toLowerCase(), label);
    for (const tag of card.tags) tags.add(tag);
  }
  const alphabetical = (a: string, b: string) => a.localeCompare(b);
  return { sites: [...sites].sort(alphabetical), labels: [...labels.values()].sort(alphabetical), tags: [...tags].sort(alphabetical) };
}
