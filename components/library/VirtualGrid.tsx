import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export interface VirtualGridProps<T> {
  items: readonly T[];
  itemKey: (item: T) => string;
  renderItem: (item: T, index: number) => ReactNode;
  /** Tiles are at least this wide; the columns share the remaining width. */
  minColumnWidth: number;
  rowHeight: number;
  gap: number;
  /** Rows rendered above and below the visible ones, so fast scrolling shows no blank strip. */
  overscanRows?: number;
  /** When this changes the grid scrolls back to the top (a new search). */
  resetKey?: string;
  label: string;
  /** Extra attributes for tests and benchmarks (data-*). */
  dataAttributes?: Record<`data-${string}`, string | number>;
}

interface Viewport {
  width: number;
  height: number;
  scrollTop: number;
}

/**
 * A windowed grid: only the rows in (and near) view are in the DOM, so 2,000 cards scroll like 20.
 * Tiles are absolutely positioned inside a spacer as tall as the whole grid.
 */
export function VirtualGrid<T>({ items, itemKey, renderItem, minColumnWidth, rowHeight, gap, overscanRows = 2, resetKey, label, dataAttributes }: VirtualGridProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState<Viewport>({ width: 0, height: 0, scrollTop: 0 });

  // Measured before the first paint, so the first frame already shows tiles.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => setViewport({ width: element.clientWidth, height: element.clientHeight, scrollTop: element.scrollTop });
    measure();
    const resize = new ResizeObserver(measure);
    resize.observe(element);
    let frame = 0;
    const onScroll = () => {
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0;
          measure();
        });
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      resize.disconnect();
      element.removeEventListener('scroll', onScroll);
      if (frame) cancelAnimationFrame(frame);
    };
  }, []);

  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [resetKey]);

  const columns = Math.max(1, Math.floor((viewport.width + gap) / (minColumnWidth + gap)));
  const columnWidth = Math.max(0, (viewport.width - gap * (columns - 1)) / columns);
  const rowStride = rowHeight + gap;
  const rows = Math.ceil(items.length / columns);
  const firstRow = Math.max(0, Math.floor(viewport.scrollTop / rowStride) - overscanRows);
  const lastRow = viewport.width ? Math.min(rows - 1, Math.ceil((viewport.scrollTop + viewport.height) / rowStride) + overscanRows) : -1;

  const tiles: ReactNode[] = [];
  for (let row = firstRow; row <= lastRow; row++) {
    for (let column = 0; column < columns; column++) {
      const index = row * columns + column;
      const item = items[index];
      if (item === undefined) break;
      tiles.push(
        <div
          key={itemKey(item)}
          role="listitem"
          aria-setsize={items.length}
          aria-posinset={index + 1}
          className="virtual-tile"
          style={{ position: 'absolute', top: row * rowStride, left: column * (columnWidth + gap), width: columnWidth, height: rowHeight }}
        >
          {renderItem(item, index)}
        </div>,
      );
    }
  }

  return (
    <div ref={scroller} className="virtual-grid" {...dataAttributes}>
      <div role="list" aria-label={label} style={{ position: 'relative', height: Math.max(0, rows * rowStride - gap) }}>
        {tiles}
      </div>
    </div>
  );
}
