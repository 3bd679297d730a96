import { test } from 'vitest';
import { loadFixture } from './decode';
import { detectCard } from '../../lib/engine/detect';
test('perf', async () => {
  for (const f of ['cards/minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp','cards/minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp','photos/minimaxir_real_mirror_selfie.webp']) {
    const img = await loadFixture(f);
    const times: number[] = [];
    for (let i = 0; i < 25; i++) { const t = performance.now(); detectCard(img); times.push(performance.now() - t); }
    times.sort((a, b) => a - b);
    console.log(f, 'median', times[12]!.toFixed(1), 'min', times[0]!.toFixed(1), 'max', times[24]!.toFixed(1));
  }
}, 60000);
