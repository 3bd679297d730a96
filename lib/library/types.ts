import type { AnalysisResult, SignalName } from '../engine/types';

/** Where a saved card was seen. */
export interface PostInfo {
  /** The post's own address when the page shows one, else null. */
  postUrl: string | null;
  /** The page the card was saved from ("" for files dropped onto the library). */
  pageUrl: string;
  /** The site as a user names it: the page's host without "www." ("" for local files). */
  site: string;
  author: string | null;
  postText: string | null;
}

export type ControlledState = 'yes' | 'no' | 'unknown';
export type VerdictState = 'A' | 'B' | 'none';
/** What a card can be sorted by besides dates: each signal, realism and detection confidence (highest panel). */
export type ScoreKey = SignalName | 'realism' | 'confidence';
export type SortKey = 'savedAt' | 'updatedAt' | ScoreKey;

export const SCORE_KEYS: readonly ScoreKey[] = ['realism', 'shadow', 'skin', 'knit', 'ceramic', 'confidence'];

/** What the model audit reads of each panel: its label and its scores (each signal and realism, 0-100). */
export interface CardPanel {
  /** The model label as read from the card or its caption; null when the panel has none. */
  label: string | null;
  scores: Record<SignalName | 'realism', number | null>;
}

/** Fields derived from the analysis and the post so the library can search, filter, sort and audit without reading results. */
export interface CardSearchFields {
  /** The analysed file's name. */
  file: string;
  /** The panels' model labels as read, in panel order, blanks dropped. */
  labels: string[];
  verdict: VerdictState;
  /** The winning panel's label, when there is a winner and it has a label. */
  winnerLabel: string | null;
  controlled: ControlledState;
  /** 0-100 per key, the highest over the panels; null when no panel has it. */
  scores: Record<ScoreKey, number | null>;
  /** Lower-case labels, author, site, post text, notes, tags and file name, for substring search. */
  searchText: string;
  /** Every panel in order, with its label and scores: the model audit works from these alone. */
  panels: CardPanel[];
}

/**
 * A saved card as the grid, search and filters read it: no image bytes and no analysis JSON, so
 * that reading 2,000 of them stays cheap. The analysis is read per card (detail view, export).
 */
export interface LibraryCard extends PostInfo, CardSearchFields {
  /** SHA-256 of the original image bytes, hex: the card's identity. */
  hash: string;
  mime: string;
  byteLength: number;
  savedAt: number;
  updatedAt: number;
  notes: string;
  tags: string[];
  /** When the card was deleted (kept for undo until purged); 0 for a live card. */
  deletedAt: number;
}

/** A card with its analysis. */
export interface SavedCard extends LibraryCard {
  analysis: AnalysisResult;
}

/** Everything needed to save (or update) one card. */
export interface CardDraft extends PostInfo {
  hash: string;
  mime: string;
  original: Blob;
  thumbnail: Blob;
  analysis: AnalysisResult;
  /** Kept from an import; a fresh save uses now. */
  savedAt?: number;
  updatedAt?: number;
  notes?: string;
  tags?: string[];
}

export interface SaveOutcome {
  hash: string;
  /** False when a card with these bytes was already saved and got updated instead. */
  created: boolean;
}

export interface LibraryQuery {
  /** Every whitespace-separated term must appear in a card's labels, author, site, text, notes or tags. */
  text?: string;
  site?: string | null;
  /** A model label, matched case-insensitively against any panel. */
  label?: string | null;
  tag?: string | null;
  controlled?: ControlledState | 'any';
  verdict?: 'any' | 'decided' | 'undecided';
  sort?: SortKey;
  direction?: 'asc' | 'desc';
}
