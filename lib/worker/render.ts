import type { AnalysisResult, Box, RgbaImage } from '../engine/types';

const PANEL_COLOURS = ['#38bdf8', '#f472b6'];
/** How far outside the label's text its outline runs, in panel line widths: clear of the letters. */
export const LABEL_BOX_GROW = 1.5;

/** Draws the card with its panel boxes, labels, signal bars and verdict, as a PNG. */
export async function renderAnnotatedPng(image: RgbaImage, result: AnalysisResult): Promise<ArrayBuffer> {
  const stripHeight = Math.max(48, Math.round(image.height * 0.08));
  const canvas = new OffscreenCanvas(image.width, image.height + stripHeight);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('No 2D canvas is available to draw the annotated card.');
  context.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);

  const lineWidth = Math.max(2, Math.round(Math.min(image.width, image.height) / 200));
  const fontSize = Math.max(14, Math.round(stripHeight * 0.38));
  context.font = `600 ${fontSize}px system-ui, sans-serif`;
  context.textBaseline = 'top';

  result.panels.forEach((panel, index) => {
    const [x, y, width, height] = panel.box;
    const colour = PANEL_COLOURS[index % PANEL_COLOURS.length] ?? '#38bdf8';
    context.strokeStyle = colour;
    context.lineWidth = lineWidth;
    context.strokeRect(x + lineWidth / 2, y + lineWidth / 2, width - lineWidth, height - lineWidth);
    if (panel.labelBox) drawLabelBox(context, panel.labelBox, lineWidth);

    const caption = `${index === 0 ? 'A' : 'B'}: ${panel.label ?? 'no label read'}${panel.realism === null ? '' : `  realism ${Math.round(panel.realism)}`}`;
    const textWidth = context.measureText(caption).width;
    context.fillStyle = 'rgba(15, 23, 42, 0.8)';
    context.fillRect(x + lineWidth, y + lineWidth, textWidth + fontSize, fontSize * 1.6);
    context.fillStyle = colour;
    context.fillText(caption, x + lineWidth + fontSize / 2, y + lineWidth + fontSize * 0.3);

    drawSignalBars(context, panel.signals, x + lineWidth, y + lineWidth + fontSize * 1.8, Math.min(width * 0.4, 260), fontSize);
  });

  context.fillStyle = '#0f172a';
  context.fillRect(0, image.height, image.width, stripHeight);
  context.fillStyle = '#f8fafc';
  context.fillText(result.verdict.summary, fontSize / 2, image.height + (stripHeight - fontSize) / 2, image.width - fontSize);

  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return blob.arrayBuffer();
}

/** Where the panel's label was read: a dashed outline just outside the text, in the panel's colour (already the stroke style). */
function drawLabelBox(context: OffscreenCanvasRenderingContext2D, [x, y, width, height]: Box, lineWidth: number): void {
  const grow = lineWidth * LABEL_BOX_GROW;
  context.save();
  context.setLineDash([lineWidth * 3, lineWidth * 2]);
  context.strokeRect(x - grow, y - grow, width + 2 * grow, height + 2 * grow);
  context.restore();
}

function drawSignalBars(
  context: OffscreenCanvasRenderingContext2D,
  signals: AnalysisResult['panels'][number]['signals'],
  left: number,
  top: number,
  width: number,
  fontSize: number,
): void {
  const measured = Object.entries(signals).filter((entry): entry is [string, { score: number; evidence: Record<string, number> }] => entry[1] !== null);
  const rowHeight = fontSize * 1.3;
  measured.forEach(([name, signal], row) => {
    const y = top + row * rowHeight;
    context.fillStyle = 'rgba(15, 23, 42, 0.75)';
    context.fillRect(left, y, width, rowHeight - 2);
    context.fillStyle = '#22c55e';
    context.fillRect(left, y, (width * Math.max(0, Math.min(100, signal.score))) / 100, rowHeight - 2);
    context.fillStyle = '#f8fafc';
    context.fillText(`${name} ${Math.round(signal.score)}`, left + 4, y + 2);
  });
}
