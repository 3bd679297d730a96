import { test } from 'vitest';
import { readdirSync } from 'node:fs';
import { loadFixture, FIXTURES_DIR } from './decode';
import { detectCard } from '../../lib/engine/detect';
test('dbg', async () => {
  for (const dir of ['cards', 'photos']) for (const f of readdirSync(FIXTURES_DIR + dir)) {
    const img = await loadFixture(`${dir}/${f}`);
    const t = performance.now(); const r = detectCard(img); const ms = performance.now() - t;
    console.log(f, img.width, img.height, ms.toFixed(1), JSON.stringify(r));
  }
});
