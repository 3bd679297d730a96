/**
 * The verdict: which panel is more naturalistic on the signals both panels have, or no winner
 * when it is too close to call, when the comparison is clearly not controlled, or when a panel is
 * not a photograph. The summary grades every difference ("slightly more", "more", "much more") and
 * names what is similar or absent, so it never says more than the numbers (docs/accuracy.md).
 */
import type { Consistency, Layout, SignalName, SignalScore } from './types';

export interface VerdictPanel {
  signals: Record<SignalName, SignalScore | null>;
  gateReason: 'graphic' | null;
}

export interface Verdict {
  winner: 0 | 1 | null;
  summary: string;
}

/**
 * A signal differs clearly when the scores are this many points apart: more than the largest
 * difference two copies of one photo got in the bench (re-encoded as one JPEG card, region maps
 * jittered), about twice their 95th percentile (docs/accuracy.md).
 */
export const CLEAR_SIGNAL_GAP = 6;
/** When clear differences point both ways, the mean difference over the shared signals must reach this to name a winner. */
export const MIN_MIXED_MARGIN = 3;
/** Per-signal grades of a score difference (points): below a clear gap it is "similar", so the summary never calls noise a difference. */
export const SIMILAR_BELOW = CLEAR_SIGNAL_GAP;
const SLIGHT_BELOW = 12;
const MUCH_FROM = 25;

const ORDER: readonly SignalName[] = ['shadow', 'skin', 'knit', 'ceramic'];

/** What "more" of each signal means, said of the panel that has more of it. */
const MORE: Record<SignalName, (grade: string) => string> = {
  shadow: (grade) => `holds ${grade} shadow detail on the face`,
  skin: (grade) => `keeps ${grade} natural skin texture`,
  knit: (grade) => `shows ${grade} knit texture`,
  ceramic: (grade) => `gives the tableware ${grade} definition`,
};
const NOUN: Record<SignalName, string> = { shadow: 'shadows', skin: 'skin', knit: 'knit', ceramic: 'ceramics' };

function sideNames(layout: Layout | null): [string, string] {
  return layout === 'stacked' ? ['Top', 'Bottom'] : ['Left', 'Right'];
}

function grade(difference: number): string {
  const size = Math.abs(difference);
  if (size < SLIGHT_BELOW) return 'slightly more';
  if (size < MUCH_FROM) return 'more';
  return 'much more';
}

function joinAnd(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Right holds more shadow detail on the face; skin is similar; ceramics not present." */
function describeSignals(panels: [VerdictPanel, VerdictPanel], sides: [string, string]): string {
  const better: [string[], string[]] = [[], []];
  const similar: string[] = [];
  const absent: string[] = [];
  const oneSided: string[] = [];
  for (const name of ORDER) {
    const a = panels[0].signals[name];
    const b = panels[1].signals[name];
    if (!a && !b) absent.push(NOUN[name]);
    else if (!a || !b) oneSided.push(`${NOUN[name]} only measurable ${a ? 'on the ' + sides[0].toLowerCase() : 'on the ' + sides[1].toLowerCase()}`);
    else {
      const difference = b.score - a.score;
      if (Math.abs(difference) < SIMILAR_BELOW) similar.push(NOUN[name]);
      else better[difference > 0 ? 1 : 0].push(MORE[name](grade(difference)));
    }
  }
  const clauses: string[] = [];
  better.forEach((phrases, side) => {
    if (phrases.length > 0) clauses.push(`${sides[side]} ${joinAnd(phrases)}`);
  });
  if (similar.length > 0) clauses.push(`${joinAnd(similar)} ${similar.length === 1 && similar[0] !== 'shadows' && similar[0] !== 'ceramics' ? 'is' : 'are'} similar`);
  clauses.push(...oneSided);
  if (absent.length > 0) clauses.push(`${joinAnd(absent)} not present`);
  return capitalised(clauses.join('; ')) + '.';
}

/** Mean score difference (second − first) over the signals both panels have, and the signals that clearly favour each side. */
export function sharedMargin(panels: [VerdictPanel, VerdictPanel]): { shared: number; margin: number; clearForFirst: SignalName[]; clearForSecond: SignalName[] } {
  let sum = 0;
  let shared = 0;
  const clearForFirst: SignalName[] = [];
  const clearForSecond: SignalName[] = [];
  for (const name of ORDER) {
    const a = panels[0].signals[name];
    const b = panels[1].signals[name];
    if (!a || !b) continue;
    const difference = b.score - a.score;
    sum += difference;
    shared++;
    if (difference >= CLEAR_SIGNAL_GAP) clearForSecond.push(name);
    if (-difference >= CLEAR_SIGNAL_GAP) clearForFirst.push(name);
  }
  return { shared, margin: shared === 0 ? 0 : sum / shared, clearForFirst, clearForSecond };
}

/**
 * The winner: the only side with clear advantages (and the mean difference on its side); when
 * clear advantages point both ways, the side the mean difference favours by MIN_MIXED_MARGIN;
 * otherwise none.
 */
function pickWinner(margin: number, clearForFirst: SignalName[], clearForSecond: SignalName[]): 0 | 1 | null {
  if (clearForFirst.length > 0 && clearForSecond.length === 0) return margin < 0 ? 0 : null;
  if (clearForSecond.length > 0 && clearForFirst.length === 0) return margin > 0 ? 1 : null;
  if (clearForFirst.length > 0 && clearForSecond.length > 0 && Math.abs(margin) >= MIN_MIXED_MARGIN) return margin > 0 ? 1 : 0;
  return null;
}

export function decideVerdict(panels: [VerdictPanel, VerdictPanel], consistency: Consistency, layout: Layout | null, reasons: string[] = []): Verdict {
  const sides = sideNames(layout);
  const graphic = panels.map((panel, index) => (panel.gateReason === 'graphic' ? sides[index] : null)).filter((side): side is string => side !== null);
  if (graphic.length > 0) {
    const who = graphic.length === 2 ? 'Neither panel is a photograph' : `${graphic[0]} is not a photograph (a graphic)`;
    return { winner: null, summary: `${who}, so the realism signals do not apply; no winner.` };
  }
  const { shared, margin, clearForFirst, clearForSecond } = sharedMargin(panels);
  if (shared === 0) {
    return { winner: null, summary: `No realism signal applies to both panels, so there is no winner. ${describeSignals(panels, sides)}` };
  }
  const details = describeSignals(panels, sides);
  if (consistency.controlled === false) {
    const why = reasons.length > 0 ? ` (${joinAnd(reasons)})` : '';
    return { winner: null, summary: `Not a controlled comparison${why}: the panels differ in more than the renderer, so no winner. ${details}` };
  }
  const winner = pickWinner(margin, clearForFirst, clearForSecond);
  if (winner === null) {
    const mixed = clearForFirst.length > 0 && clearForSecond.length > 0;
    return { winner: null, summary: `${mixed ? 'Mixed: each panel is clearly better on something' : 'Too close to call'}. ${details}` };
  }
  const caveat = consistency.controlled === null ? ' (whether the setups match could not be checked)' : '';
  return { winner, summary: `${sides[winner]} is more naturalistic${caveat}. ${details}` };
}
