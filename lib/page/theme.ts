/** Whether the page looks light or dark, so the overlay can match it rather than the system setting. */

/** Relative luminance (0-1) of a CSS `rgb()`/`rgba()` colour; null when transparent or unreadable. */
export function luminanceOf(colour: string): number | null {
  const match = /rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)/.exec(colour);
  if (!match) return null;
  const alphaText = match[4];
  const alpha = alphaText === undefined ? 1 : alphaText.endsWith('%') ? parseFloat(alphaText) / 100 : parseFloat(alphaText);
  if (alpha < 0.5) return null;
  const linear = [match[1], match[2], match[3]].map((channel) => {
    const value = Number(channel) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
}

/** Dark when the first opaque background of body or html is dark; null when neither paints one. */
export function themeFromBackgrounds(backgrounds: string[]): 'light' | 'dark' | null {
  for (const background of backgrounds) {
    const luminance = luminanceOf(background);
    if (luminance !== null) return luminance < 0.2 ? 'dark' : 'light';
  }
  return null;
}

/** The page's theme; a page that declares none follows the reader's preference, as the browser does. */
export function pageTheme(): 'light' | 'dark' {
  const elements = [document.body, document.documentElement].filter((element): element is HTMLElement => element !== null);
  const painted = themeFromBackgrounds(elements.map((element) => getComputedStyle(element).backgroundColor));
  if (painted) return painted;
  // No background painted: the canvas follows the page's declared color-scheme, if it names one.
  const scheme = getComputedStyle(document.documentElement).colorScheme.trim();
  if (scheme === 'dark' || scheme === 'light') return scheme;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
