import { describe, expect, it } from 'vitest';
import { AUDIT_CLEAR_GAP, auditByAuthor, auditCardOf, auditModels, measureWinner, modelGroup, winRate, type AuditCard, type ModelAudit } from '../../lib/library/audit';
import { sampleAnalysis, type SampleCard } from './library-fixtures';

/** A saved card as the audit reads it, built from an analysis shaped like the engine's. */
function card(sample: SampleCard & { author?: string | null }): AuditCard {
  return auditCardOf({ hash: sample.hash, author: sample.author === undefined ? '@minimaxir' : sample.author }, sampleAnalysis(sample));
}

function model(models: ModelAudit[], name: string): ModelAudit {
  const found = models.find((entry) => entry.model === name);
  if (!found) throw new Error(`${name} is not in the audit (${models.map((entry) => entry.model).join(', ')})`);
  return found;
}

/**
 * A small library as users build it: the same models written several ways, controlled and
 * uncontrolled comparisons, cards without labels, a grid, and signals that only some panels have.
 * Scores are in the ranges the engine gives real photos (docs/accuracy.md).
 */
const LIBRARY: AuditCard[] = [
  // Portrait, controlled: Pro clearly better shadows and skin, verdict Pro.
  card({ hash: 'p1', labels: ['Nano Banana', 'Nano Banana Pro'], winner: 1, controlled: true, signals: { shadow: [41.2, 63.8], skin: [38.5, 52.1], knit: [70.4, 72.9] }, realism: [50, 62.9] }),
  // Same pair spelled as posts spell it; Pro wins again, knit only on one side.
  card({ hash: 'p2', labels: ['NanoBanana', 'nano-banana-pro'], winner: 1, controlled: true, signals: { shadow: [55.0, 61.0], skin: [47.3, 49.9] }, realism: [51.2, 55.5] }),
  // Stacked counter shot, controlled: plain Nano Banana wins on ceramics.
  card({ hash: 'p3', labels: ['Nano Banana', 'NanoBanana Pro'], winner: 0, controlled: true, signals: { ceramic: [68.4, 49.0] }, realism: [68.4, 49.0], author: '@Minimaxir' }),
  // Too close to call: every difference under the clear gap.
  card({ hash: 'p4', labels: ['GPT-Image-1', 'Nano Banana Pro'], winner: null, controlled: true, signals: { shadow: [60.0, 65.9], skin: [44.0, 40.1] }, realism: [52.0, 53.0], author: 'u/artist' }),
  // Not controlled (different framing): a winner on signals would be meaningless, and is not counted.
  card({ hash: 'x1', labels: ['GPT Image 1', 'Nano Banana Pro'], winner: null, controlled: false, signals: { shadow: [30, 80] }, realism: [30, 80] }),
  // The audit could not tell.
  card({ hash: 'x2', labels: ['Midjourney v7', 'GPT Image 1'], winner: 0, controlled: null, signals: { skin: [70, 40] }, realism: [70, 40], author: 'u/artist' }),
  // Labels unread.
  card({ hash: 'x3', labels: [null, 'GPT Image 1'], winner: 1, controlled: true, signals: { shadow: [40, 60] }, realism: [40, 60] }),
  // The same model on both sides (two seeds).
  card({ hash: 'x4', labels: ['Midjourney V7', 'MJ v7'], winner: 0, controlled: true, signals: { shadow: [70, 50] }, realism: [70, 50], author: null }),
  // An unknown model, spelled two ways, against a known one; no author on the post.
  card({ hash: 'u1', labels: ['My LoRA v2', 'GPT Image 1'], winner: 0, controlled: true, signals: { skin: [66, 51] }, realism: [66, 51], author: null }),
  card({ hash: 'u2', labels: ['my-lora V2', 'gpt-image-1'], winner: 1, controlled: true, signals: { skin: [50, 58] }, realism: [50, 58], author: null }),
];

describe('the model audit over saved cards', () => {
  const audit = auditModels(LIBRARY);

  it('counts only controlled two-panel cards with two different labelled models, and says why the others were left out', () => {
    expect(audit.cards).toBe(10);
    expect(audit.counted).toBe(6);
    expect(audit.excluded).toEqual({ notControlled: 1, controlUnknown: 1, notTwoPanels: 0, unlabelled: 1, sameModel: 1 });
  });

  it('groups every spelling of a model under its catalogue name, so wins never split', () => {
    expect(audit.models.map((entry) => entry.model)).toEqual(['Nano Banana Pro', 'GPT Image 1', 'Nano Banana', 'My LoRA v2']);
    expect(model(audit.models, 'Nano Banana Pro')).toMatchObject({ known: true, spellings: ['nano-banana-pro', 'NanoBanana Pro'] });
    expect(model(audit.models, 'Nano Banana').spellings).toEqual(['NanoBanana']);
    expect(model(audit.models, 'GPT Image 1').spellings).toEqual(['GPT-Image-1', 'gpt-image-1']);
    // A name the catalogue does not know still groups across case and punctuation, shown as first seen.
    expect(model(audit.models, 'My LoRA v2')).toMatchObject({ known: false, spellings: ['my-lora V2'] });
  });

  it('overall wins follow the verdicts, with the number of cards behind each figure', () => {
    expect(model(audit.models, 'Nano Banana Pro').columns.overall).toEqual({ cards: 4, won: 2, lost: 1, even: 1 });
    expect(model(audit.models, 'Nano Banana').columns.overall).toEqual({ cards: 3, won: 1, lost: 2, even: 0 });
    expect(model(audit.models, 'GPT Image 1').columns.overall).toEqual({ cards: 3, won: 1, lost: 1, even: 1 });
    expect(model(audit.models, 'My LoRA v2').columns.overall).toEqual({ cards: 2, won: 1, lost: 1, even: 0 });
    // The uncontrolled card's 30 vs 80 shadow and the unknown-control card's win count nowhere.
    expect(model(audit.models, 'GPT Image 1').columns.shadow).toEqual({ cards: 1, won: 0, lost: 0, even: 1 });
  });

  it('per signal, a win is a clear gap on that signal, and a card counts only where both panels have it', () => {
    const pro = model(audit.models, 'Nano Banana Pro').columns;
    expect(pro.shadow).toEqual({ cards: 3, won: 2, lost: 0, even: 1 }); // p1 +22.6, p2 +6.0, p4 +5.9 (even)
    expect(pro.skin).toEqual({ cards: 3, won: 1, lost: 0, even: 2 }); // p1 +13.6, p2 +2.6, p4 −3.9
    expect(pro.knit).toEqual({ cards: 1, won: 0, lost: 0, even: 1 }); // p1 only: p2's knit is one-sided
    expect(pro.ceramic).toEqual({ cards: 1, won: 0, lost: 1, even: 0 });
    expect(pro.realism).toEqual({ cards: 4, won: 1, lost: 1, even: 2 }); // p1 +12.9, p2 +4.3, p3 −19.4, p4 +1.0
    const lora = model(audit.models, 'My LoRA v2').columns;
    expect(lora.skin).toEqual({ cards: 2, won: 1, lost: 1, even: 0 });
    expect(lora.shadow).toEqual({ cards: 0, won: 0, lost: 0, even: 0 });
  });

  it('a measure favours a panel from the clear gap up, in either direction', () => {
    const panels = (first: number | null, second: number | null) =>
      [first, second].map((score) => ({ label: 'x', scores: { shadow: score, skin: null, knit: null, ceramic: null, realism: null } }));
    expect(measureWinner(panels(50, 50 + AUDIT_CLEAR_GAP), 'shadow')).toBe(1);
    expect(measureWinner(panels(50, 50 + AUDIT_CLEAR_GAP - 0.1), 'shadow')).toBe('even');
    expect(measureWinner(panels(50 + AUDIT_CLEAR_GAP, 50), 'shadow')).toBe(0);
    expect(measureWinner(panels(50, null), 'shadow')).toBeNull();
    expect(measureWinner(panels(50, 60), 'skin')).toBeNull();
  });

  it('per author: authors matched without case, most counted cards first, cards without an author last', () => {
    const authors = auditByAuthor(LIBRARY);
    expect(authors.map((entry) => [entry.author, entry.cards, entry.counted])).toEqual([
      ['@minimaxir', 5, 3],
      ['u/artist', 2, 1],
      [null, 3, 2],
    ]);
    const [minimaxir, artist, none] = authors;
    expect(minimaxir?.excluded.notControlled).toBe(1);
    expect(model(minimaxir!.models, 'Nano Banana Pro').columns.overall).toEqual({ cards: 3, won: 2, lost: 1, even: 0 });
    expect(none?.excluded.sameModel).toBe(1);
    expect(model(none!.models, 'GPT Image 1').columns.overall).toEqual({ cards: 2, won: 1, lost: 1, even: 0 });
    expect(artist?.excluded.controlUnknown).toBe(1);
    expect(artist?.models.map((entry) => entry.model)).toEqual(['GPT Image 1', 'Nano Banana Pro']);
  });

  it('grids and failed analyses do not count', () => {
    const grid = card({ hash: 'g1', labels: ['Nano Banana', 'GPT Image 1'], winner: 0, controlled: true });
    grid.panels.push({ label: 'Imagen 4', scores: { shadow: null, skin: null, knit: null, ceramic: null, realism: null } });
    const failed: AuditCard = { hash: 'f1', author: null, controlled: null, winner: null, panels: [] };
    expect(auditModels([grid, failed])).toMatchObject({ cards: 2, counted: 0, models: [], excluded: { notTwoPanels: 2 } });
  });

  it('reads a saved analysis: labels trimmed, scores per panel, realism kept', () => {
    const analysis = sampleAnalysis({ hash: 'r1', labels: ['  Flux 1.1 Pro ', ''], winner: 0, controlled: true, signals: { shadow: [58.3, 44.1] }, realism: [58.3, 44.1] });
    expect(auditCardOf({ hash: 'r1', author: '  ' }, analysis)).toEqual({
      hash: 'r1',
      author: null,
      controlled: true,
      winner: 0,
      panels: [
        { label: 'Flux 1.1 Pro', scores: { shadow: 58.3, skin: null, knit: null, ceramic: null, realism: 58.3 } },
        { label: null, scores: { shadow: 44.1, skin: null, knit: null, ceramic: null, realism: 44.1 } },
      ],
    });
  });

  it('names and rates', () => {
    expect(modelGroup('FLUX1.1 [pro]')).toEqual({ key: 'known:Flux 1.1 Pro', name: 'Flux 1.1 Pro', known: true });
    expect(modelGroup('Some New Model').known).toBe(false);
    expect(winRate({ cards: 4, won: 3, lost: 1, even: 0 })).toBe(0.75);
    expect(winRate({ cards: 0, won: 0, lost: 0, even: 0 })).toBeNull();
  });
});
