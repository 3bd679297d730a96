import type { LibraryCard } from '@/lib/library/types';

export function cardTitle(card: LibraryCard): string {
  return card.labels.length ? card.labels.join(' vs ') : 'Unlabelled panels';
}

export function verdictText(card: LibraryCard): string {
  if (card.verdict === 'none') return 'No winner';
  return `${card.winnerLabel ?? `Panel ${card.verdict}`} wins`;
}

export function controlledText(card: LibraryCard): string {
  return card.controlled === 'yes' ? 'controlled' : card.controlled === 'no' ? 'not controlled' : 'control unknown';
}

export function sourceText(card: LibraryCard): string {
  return [card.author, card.site || 'your file'].filter(Boolean).join(' · ');
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function shortDate(time: number): string {
  return dateFormat.format(time);
}

export function longDate(time: number): string {
  return dateTimeFormat.format(time);
}
