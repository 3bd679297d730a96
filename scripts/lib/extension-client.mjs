/** Talks to the running extension the way its own pages do: typed envelopes over runtime messaging. */

async function extensionPage(browser) {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('analyze.html'));
  return page;
}

/** Results for page image URLs (cache hits when the overlay already analysed them). */
export async function analyzeUrlsInExtension(browser, urls) {
  const page = await extensionPage(browser);
  try {
    const replies = [];
    for (const url of urls) replies.push(await page.evaluate((imageUrl) => globalThis.sidelightAnalyzeImage(imageUrl), url).catch(() => null));
    return replies;
  } finally {
    await page.close();
  }
}

/** The first read error of a pair's two files, naming which picture it was; null when both were read. */
function pairReadError(pair) {
  const index = pair.findIndex((file) => file.readError);
  return index < 0 ? null : `The ${index === 0 ? 'first' : 'second'} picture (${pair[index].name}): ${pair[index].readError}`;
}

/**
 * Analyses local files with the extension's engine; files with a `readError` get the engine's
 * failure result. An entry with `pair: [left, right]` is two files analysed as one card.
 */
export async function analyzeFilesInExtension(browser, files, { render, backend = 'auto', onProgress } = {}) {
  const page = await extensionPage(browser);
  try {
    const replies = [];
    for (const [index, file] of files.entries()) {
      onProgress?.(index, file);
      const readError = file.pair ? pairReadError(file.pair) : file.readError;
      if (readError) {
        replies.push(await page.evaluate(({ name, error }) => globalThis.sidelightUnreadable(name, error), { name: file.name, error: readError }));
        continue;
      }
      if (file.pair) {
        const pictures = file.pair.map((picture) => ({ name: picture.name, bytesBase64: picture.bytes.toString('base64') }));
        replies.push(
          await page.evaluate(({ pictures: both, render: draw, backend: models }) => globalThis.sidelightAnalyzePair(both, draw, models), {
            pictures,
            render: Boolean(render),
            backend,
          }),
        );
        continue;
      }
      replies.push(
        await page.evaluate(({ name, bytesBase64, render: draw, backend: models }) => globalThis.sidelightAnalyzeBytes(name, bytesBase64, draw, models), {
          name: file.name,
          bytesBase64: file.bytes.toString('base64'),
          render: Boolean(render),
          backend,
        }),
      );
    }
    return replies;
  } finally {
    await page.close();
  }
}
