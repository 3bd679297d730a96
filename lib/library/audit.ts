/**
 * The library's model audit: across saved cards, how often each model label won, overall (the
 * card's verdict) and per signal, counting controlled comparisons only (the engine found both
 * panels to show the same setup, so a difference is the renderer's). Every figure carries the
 * number of cards behind it. Pure: the library page runs it in memory.
 */
import { canonicalModelName, modelNameKey } from '../engine/model-names';
import type { AnalysisResult, SignalName } from '../engine/types';
import { CLEAR_SIGNAL_GAP } from '../engine/verdict';
import { cardPanels } from './derive';
import type { CardPanel, LibraryCard } from './types';

/** What the audit compares: the four signals and realism (their mean per panel). */
export type AuditMeasure = SignalName | 'realism';
/** The audit's columns: the verdict ('overall') and each measure. */
export type AuditColumn = 'overall' | AuditMeasure;

export const AUDIT_MEASURES: readonly AuditMeasure[] = ['shadow', 'skin', 'knit', 'ceramic', 'realism'];
export const AUDIT_COLUMNS: readonly AuditColumn[] = ['overall', ...AUDIT_MEASURES];

/**
 * A measure favours a panel when its score is at least this many points higher: the verdict's
 * own "clear difference" (lib/engine/verdict.ts), so the audit never counts noise as a win.
 */
export const AUDIT_CLEAR_GAP = CLEAR_SIGNAL_GAP;

/** One panel as the audit reads it: its label and its score on each measure. */
export type AuditPanel = CardPanel;

/** One saved card as the audit reads it: small enough to keep for a whole library. */
export interface AuditCard {
  hash: string;
  author: string | null;
  controlled: boolean | null;
  winner: 0 | 1 | null;
  panels: AuditPanel[];
}

/** The audit's reading of a card and its analysis (an export's card, or a result not saved yet). */
export function auditCardOf(card: { hash: string; author: string | null }, analysis: AnalysisResult): AuditCard {
  return { hash: card.hash, author: card.author?.trim() || null, controlled: analysis.consistency.controlled, winner: analysis.verdict.winner, panels: cardPanels(analysis) };
}

/** The audit's reading of a saved card's row: its derived fields carry all it needs, so no analysis is read. */
export function auditCardOfRow(card: Pick<LibraryCard, 'hash' | 'author' | 'controlled' | 'verdict' | 'panels'>): AuditCard {
  return {
    hash: card.hash,
    author: card.author?.trim() || null,
    controlled: card.controlled === 'yes' ? true : card.controlled === 'no' ? false : null,
    winner: card.verdict === 'A' ? 0 : card.verdict === 'B' ? 1 : null,
    panels: card.panels,
  };
}

/** Wins, losses and draws of one model on one column, over `cards` cards. */
export interface Tally {
  /** Cards behind these figures: controlled comparisons that include the model and where the column applies to both panels. */
  cards: number;
  won: number;
  lost: number;
  /** Overall: the verdict named no winner. Per measure: the scores were within AUDIT_CLEAR_GAP. */
  even: number;
}

export interface ModelAudit {
  /** The catalogue's name, or the first spelling seen for a name the catalogue does not know. */
  model: string;
  /** True when the name is in the model-name catalogue (lib/engine/model-names.ts). */
  known: boolean;
  /** Other spellings of this model seen on the cards, grouped under `model`. */
  spellings: string[];
  columns: Record<AuditColumn, Tally>;
}

/** Why saved cards did not count, so a reader sees what the figures leave out. */
export interface AuditExclusions {
  notControlled: number;
  /** The audit could not tell whether the setups match (controlled: null). */
  controlUnknown: number;
  /** Not a two-panel card, or the analysis failed. */
  notTwoPanels: number;
  /** A panel has no label, so its win cannot go to a model. */
  unlabelled: number;
  /** Both panels carry the same model's name. */
  sameModel: number;
}

export interface AuditSummary {
  /** Cards looked at. */
  cards: number;
  /** Controlled two-panel cards with two different labelled models: the cards behind every figure. */
  counted: number;
  excluded: AuditExclusions;
  /** Most counted cards first, then most overall wins, then name. */
  models: ModelAudit[];
}

export interface AuthorAudit extends AuditSummary {
  /** The author as saved (null: cards whose post showed no author). */
  author: string | null;
}

function emptyTally(): Tally {
  return { cards: 0, won: 0, lost: 0, even: 0 };
}

function emptyColumns(): Record<AuditColumn, Tally> {
  return { overall: emptyTally(), shadow: emptyTally(), skin: emptyTally(), knit: emptyTally(), ceramic: emptyTally(), realism: emptyTally() };
}

/** How a label groups: the catalogue's name when it knows the spelling, else case, spaces and punctuation ignored. */
export function modelGroup(label: string): { key: string; name: string; known: boolean } {
  const canonical = canonicalModelName(label);
  return canonical ? { key: `known:${canonical}`, name: canonical, known: true } : { key: `other:${modelNameKey(label)}`, name: label, known: false };
}

type Exclusion = keyof AuditExclusions;

/** The reason a card does not count, or null when it does. */
function exclusionOf(card: AuditCard): Exclusion | null {
  if (card.panels.length !== 2) return 'notTwoPanels';
  if (card.controlled === false) return 'notControlled';
  if (card.controlled !== true) return 'controlUnknown';
  const [first, second] = card.panels.map((panel) => (panel.label ? modelGroup(panel.label) : null));
  if (!first || !second || !first.key.replace(/^other:/, '') || !second.key.replace(/^other:/, '')) return 'unlabelled';
  if (first.key === second.key) return 'sameModel';
  return null;
}

/** Which panel a measure favours (0 or 1), 'even' within the clear gap, or null when a panel lacks it. */
export function measureWinner(panels: readonly AuditPanel[], measure: AuditMeasure): 0 | 1 | 'even' | null {
  const first = panels[0]?.scores[measure];
  const second = panels[1]?.scores[measure];
  if (typeof first !== 'number' || typeof second !== 'number') return null;
  if (second - first >= AUDIT_CLEAR_GAP) return 1;
  if (first - second >= AUDIT_CLEAR_GAP) return 0;
  return 'even';
}

function count(tally: Tally, outcome: 'won' | 'lost' | 'even'): void {
  tally.cards++;
  tally[outcome]++;
}

function outcomeFor(side: 0 | 1, winner: 0 | 1 | 'even' | null): 'won' | 'lost' | 'even' {
  return winner === null || winner === 'even' ? 'even' : winner === side ? 'won' : 'lost';
}

/** The model audit over these cards (any order; deleted cards should be left out by the caller). */
export function auditModels(cards: readonly AuditCard[]): AuditSummary {
  const excluded: AuditExclusions = { notControlled: 0, controlUnknown: 0, notTwoPanels: 0, unlabelled: 0, sameModel: 0 };
  const models = new Map<string, ModelAudit>();
  let counted = 0;
  for (const card of cards) {
    const exclusion = exclusionOf(card);
    if (exclusion) {
      excluded[exclusion]++;
      continue;
    }
    counted++;
    card.panels.forEach((panel, index) => {
      const side = index as 0 | 1;
      const label = panel.label ?? '';
      const group = modelGroup(label);
      let entry = models.get(group.key);
      if (!entry) {
        entry = { model: group.name, known: group.known, spellings: [], columns: emptyColumns() };
        models.set(group.key, entry);
      }
      if (label !== entry.model && !entry.spellings.includes(label)) entry.spellings.push(label);
      count(entry.columns.overall, outcomeFor(side, card.winner));
      for (const measure of AUDIT_MEASURES) {
        const winner = measureWinner(card.panels, measure);
        if (winner !== null) count(entry.columns[measure], outcomeFor(side, winner));
      }
    });
  }
  const sorted = [...models.values()].sort(
    (a, b) => b.columns.overall.cards - a.columns.overall.cards || b.columns.overall.won - a.columns.overall.won || a.model.localeCompare(b.model),
  );
  return { cards: cards.length, counted, excluded, models: sorted };
}

/** The model audit per author: authors with the most counted cards first; cards without an author form one group (author null), last. */
export function auditByAuthor(cards: readonly AuditCard[]): AuthorAudit[] {
  const byAuthor = new Map<string, { author: string | null; cards: AuditCard[] }>();
  for (const card of cards) {
    const key = card.author === null ? '' : `@${card.author.toLowerCase()}`;
    const group = byAuthor.get(key) ?? { author: card.author, cards: [] };
    group.cards.push(card);
    byAuthor.set(key, group);
  }
  return [...byAuthor.values()]
    .map(({ author, cards: authored }) => ({ author, ...auditModels(authored) }))
    .sort((a, b) => Number(a.author === null) - Number(b.author === null) || b.counted - a.counted || b.cards - a.cards || (a.author ?? '').localeCompare(b.author ?? ''));
}

/** Share of `cards` that were won, 0-1; null without cards. */
export function winRate(tally: Tally): number | null {
  return tally.cards === 0 ? null : tally.won / tally.cards;
}
