import { describe, expect, it } from 'vitest';
import { judgeCard } from '../../lib/engine/judge';
import type { Consistency, SignalName, SignalScore } from '../../lib/engine/types';
import { CLEAR_SIGNAL_GAP, decideVerdict, type VerdictPanel } from '../../lib/engine/verdict';
import { blurInside, portrait } from './signals-synthetic';

type Scores = Partial<Record<SignalName, number>>;

function panel(scores: Scores, gateReason: 'graphic' | null = null): VerdictPanel {
  const signals = { shadow: null, skin: null, knit: null, ceramic: null } as Record<SignalName, SignalScore | null>;
  for (const [name, score] of Object.entries(scores) as [SignalName, number][]) signals[name] = { score, evidence: {} };
  return { signals, gateReason };
}

const CONTROLLED: Consistency = { identity: null, pose: null, framing: 0.95, lighting: 0.9, controlled: true };
const UNKNOWN: Consistency = { ...CONTROLLED, controlled: null };
const UNCONTROLLED: Consistency = { ...CONTROLLED, framing: 0.2, controlled: false };

describe('decideVerdict', () => {
  it('gives no winner for identical scores', () => {
    const same = panel({ shadow: 80, skin: 70, knit: 60 });
    const verdict = decideVerdict([same, same], CONTROLLED, 'side-by-side');
    expect(verdict.winner).toBeNull();
    expect(verdict.summary).toBe('Too close to call. Shadows, skin and knit are similar; ceramics not present.');
  });

  it('names the panel with a clear advantage and grades it', () => {
    const verdict = decideVerdict([panel({ shadow: 60, skin: 70, knit: 62 }), panel({ shadow: 80, skin: 71, knit: 60 })], CONTROLLED, 'side-by-side');
    expect(verdict).toEqual({
      winner: 1,
      summary: 'Right is more naturalistic. Right holds more shadow detail on the face; skin and knit are similar; ceramics not present.',
    });
  });

  it('grades differences as slightly more, more and much more', () => {
    const verdict = decideVerdict([panel({ shadow: 90, skin: 90, knit: 90 }), panel({ shadow: 82, skin: 75, knit: 60 })], CONTROLLED, 'side-by-side');
    expect(verdict.winner).toBe(0);
    expect(verdict.summary).toContain('Left holds slightly more shadow detail on the face, keeps more natural skin texture and shows much more knit texture');
  });

  it('calls differences below the clear gap similar: the summary never names noise', () => {
    const verdict = decideVerdict([panel({ shadow: 80, skin: 70 }), panel({ shadow: 80 + CLEAR_SIGNAL_GAP - 0.5, skin: 70 })], CONTROLLED, 'side-by-side');
    expect(verdict.winner).toBeNull();
    expect(verdict.summary).not.toContain('more');
  });

  it('gives no winner when the comparison is clearly not controlled, and says why', () => {
    const verdict = decideVerdict([panel({ shadow: 40 }), panel({ shadow: 90 })], UNCONTROLLED, 'side-by-side', ['different framing']);
    expect(verdict.winner).toBeNull();
    expect(verdict.summary).toMatch(/^Not a controlled comparison \(different framing\): the panels differ in more than the renderer, so no winner\. Right holds much more shadow detail/);
  });

  it('still names a winner when control could not be checked, with a caveat', () => {
    const verdict = decideVerdict([panel({ knit: 40 }), panel({ knit: 90 })], UNKNOWN, 'side-by-side');
    expect(verdict.winner).toBe(1);
    expect(verdict.summary).toContain('(whether the setups match could not be checked)');
  });

  it('weighs mixed evidence by the mean difference', () => {
    const decided = decideVerdict([panel({ shadow: 90, skin: 60 }), panel({ shadow: 60, skin: 68 })], CONTROLLED, 'side-by-side');
    expect(decided.winner).toBe(0);
    const balanced = decideVerdict([panel({ shadow: 70, skin: 60 }), panel({ shadow: 62, skin: 68 })], CONTROLLED, 'side-by-side');
    expect(balanced.winner).toBeNull();
    expect(balanced.summary).toMatch(/^Mixed: each panel is clearly better on something\. Left holds slightly more shadow detail on the face; Right keeps slightly more natural skin texture/);
  });

  it('refuses to judge graphics', () => {
    expect(decideVerdict([panel({ shadow: 80 }), panel({}, 'graphic')], CONTROLLED, 'side-by-side')).toEqual({
      winner: null,
      summary: 'Right is not a photograph (a graphic), so the realism signals do not apply; no winner.',
    });
    expect(decideVerdict([panel({}, 'graphic'), panel({}, 'graphic')], CONTROLLED, 'stacked').summary).toMatch(/^Neither panel is a photograph/);
  });

  it('says when no signal applies to both panels', () => {
    const verdict = decideVerdict([panel({ knit: 70 }), panel({ ceramic: 60 })], CONTROLLED, 'stacked');
    expect(verdict.winner).toBeNull();
    expect(verdict.summary).toBe(
      'No realism signal applies to both panels, so there is no winner. Knit only measurable on the top; ceramics only measurable on the bottom; shadows and skin not present.',
    );
  });

  it('names stacked panels top and bottom', () => {
    expect(decideVerdict([panel({ ceramic: 40 }), panel({ ceramic: 80 })], CONTROLLED, 'stacked').summary).toBe(
      'Bottom is more naturalistic. Bottom gives the tableware much more definition; shadows, skin and knit not present.',
    );
  });
});

describe('judgeCard: the whole realism stage on a card', () => {
  it('fills the result fields for two copies of a portrait: photos, signals, controlled, no winner', () => {
    const scene = portrait();
    const judged = judgeCard({ panel: scene.image, regions: scene.regions }, { panel: scene.image, regions: scene.regions }, 'side-by-side');
    expect(judged.panels[0]).toEqual(judged.panels[1]);
    expect(judged.panels[0]).toMatchObject({ photo: true, gateReason: null });
    expect(judged.panels[0].signals.shadow?.score).toBeGreaterThan(0);
    expect(judged.panels[0].realism).not.toBeNull();
    expect(judged.consistency.controlled).toBe(true);
    expect(judged.verdict.winner).toBeNull();
    expect(judged.heatmaps[0].shadow?.width).toBeGreaterThan(0);
    expect(JSON.stringify(judged.panels)).not.toContain('heatmap');
  });

  it('names the clean panel when the other one lost its knit texture, and runs only the gate without region maps', () => {
    const scene = portrait();
    const blurred = blurInside(scene.image, scene.garment, 2);
    const judged = judgeCard({ panel: blurred, regions: scene.regions }, { panel: scene.image, regions: scene.regions }, 'side-by-side');
    expect(judged.verdict.winner).toBe(1);
    expect(judged.verdict.summary).toMatch(/^Right is more naturalistic\. Right shows (much )?more knit texture/);
    const bare = judgeCard({ panel: scene.image, regions: null }, { panel: scene.image, regions: null }, 'stacked');
    expect(bare.panels[0]).toMatchObject({ photo: true, realism: null, signals: { shadow: null, skin: null, knit: null, ceramic: null } });
    expect(bare.verdict.winner).toBeNull();
  });
});
