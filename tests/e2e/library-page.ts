// What the library e2e tests do on the library page as a person would: drop files, export everything.
import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { ARCHIVE_INDEX_PATH, type ArchiveIndex } from '../../lib/library/archive';

/** Drops files onto the library page the way a file manager does. */
export async function dropFiles(page: Page, files: { name: string; type: string; bytes: Buffer }[]): Promise<void> {
  await page.evaluate(
    (list) => {
      const transfer = new DataTransfer();
      for (const { name, type, base64 } of list) transfer.items.add(new File([Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))], name, { type }));
      document.querySelector('main.library')?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    files.map(({ name, type, bytes }) => ({ name, type, base64: bytes.toString('base64') })),
  );
}

/** Clicks "Export all", saves the ZIP at `path` and reads it back: its index and every file in it. */
export async function exportAll(page: Page, path: string): Promise<{ index: ArchiveIndex; files: Record<string, Uint8Array>; path: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export all' }).click()]);
  await download.saveAs(path);
  const files = unzipSync(new Uint8Array(await readFile(path)));
  const indexBytes = files[ARCHIVE_INDEX_PATH];
  if (!indexBytes) throw new Error('The export has no index.');
  return { index: JSON.parse(strFromU8(indexBytes)) as ArchiveIndex, files, path };
}
