import { test } from 'vitest';
import { readdirSync } from 'node:fs';
import { loadFixture, FIXTURES_DIR } from './decode';
import { debugSeams } from '../../lib/engine/detect';
test('dbg', async () => {
  for (const dir of ['cards', 'photos']) for (const f of readdirSync(FIXTURES_DIR + dir)) {
    const img = await loadFixture(`${dir}/${f}`);
    console.log(f.slice(0, 24), debugSeams(img));
  }
});
