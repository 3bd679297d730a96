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

/** Analyses local files with the extension's engine; files with a `readError` get the engine's failure result. */
export async function analyzeFilesInExtension(browser, files, { render, backend = 'auto', onProgress } = {}) {
  const page = await extensionPage(browser);
  try {
    const replies = [];
    for (const [index, file] of files.entries()) {
      onProgress?.(index, file);
      if (file.readError) {
        replies.push(await page.evaluate(({ name, error }) => globalThis.sidelightUnreadable(name, error), { name: file.name, error: file.readError }));
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
