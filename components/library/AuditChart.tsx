import { useId } from 'react';
import { winRate, type AuditColumn, type ModelAudit } from '@/lib/library/audit';

export interface AuditChartProps {
  /** Models with at least one card behind the column, in the order to draw them. */
  models: ModelAudit[];
  column: AuditColumn;
  /** What the column is, in words ("the overall verdict", "the shadow signal"). */
  columnName: string;
  /** The id of the table that says the same in text. */
  tableId: string;
  /** The width to draw at, in CSS pixels (the chart is drawn 1:1 so its text stays readable in a narrow side panel). */
  width: number;
}

const BAR_HEIGHT = 20;
const AXIS_HEIGHT = 26;
/** Below this width the model's name goes above its bar instead of beside it. */
const NARROW_BELOW = 560;

interface Geometry {
  width: number;
  narrow: boolean;
  labelWidth: number;
  barWidth: number;
  rowHeight: number;
}

function geometry(available: number): Geometry {
  const width = Math.max(280, Math.round(available));
  const narrow = width < NARROW_BELOW;
  const labelWidth = narrow ? 0 : Math.min(220, Math.round(width * 0.28));
  const figureWidth = narrow ? 118 : 150;
  return { width, narrow, labelWidth, barWidth: width - labelWidth - figureWidth - 8, rowHeight: narrow ? 46 : 36 };
}
const TICKS = [0, 0.25, 0.5, 0.75, 1];
/** A segment narrower than this has no room for its count. */
const MIN_COUNT_WIDTH = 22;

function percent(share: number | null): string {
  return share === null ? '–' : `${Math.round(share * 100)}%`;
}

function cardsText(count: number): string {
  return `${count} card${count === 1 ? '' : 's'}`;
}

function shortened(name: string, limit = 26): string {
  return name.length > limit ? `${name.slice(0, limit - 1)}…` : name;
}

/** One model's sentence, for the chart's text alternative and each bar's tooltip. */
export function tallySentence(model: ModelAudit, column: AuditColumn): string {
  const tally = model.columns[column];
  const even = column === 'overall' ? 'no winner' : 'even';
  return `${model.model}: won ${tally.won} of ${cardsText(tally.cards)} (${percent(winRate(tally))}), lost ${tally.lost}, ${even} ${tally.even}`;
}

/**
 * Horizontal bars, one per model: the share of its cards it won, drew and lost on one column,
 * with the number of cards behind each bar. Drawn as SVG by React; the table beside it says the same.
 */
export function AuditChart({ models, column, columnName, tableId, width: available }: AuditChartProps) {
  const { width, narrow, labelWidth: LABEL_WIDTH, barWidth: BAR_WIDTH, rowHeight: ROW_HEIGHT } = geometry(available);
  const titleId = useId();
  // useId's characters are not all valid in url(#…) references.
  const clipBase = `audit-clip-${titleId.replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const height = AXIS_HEIGHT + models.length * ROW_HEIGHT + 8;
  const x = (share: number) => LABEL_WIDTH + share * BAR_WIDTH;
  return (
    <svg
      className="audit-chart"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-labelledby={titleId}
      aria-describedby={tableId}
      data-testid="audit-chart"
      data-column={column}
    >
      <title id={titleId}>{`Share of controlled comparisons each model won on ${columnName}. ${models.map((model) => tallySentence(model, column)).join('. ')}.`}</title>
      <g className="audit-axis" aria-hidden="true">
        {TICKS.map((tick) => (
          <g key={tick}>
            <line x1={x(tick)} x2={x(tick)} y1={AXIS_HEIGHT - 6} y2={height - 4} />
            <text x={x(tick)} y={AXIS_HEIGHT - 10} textAnchor={tick === 0 ? 'start' : tick === 1 ? 'end' : 'middle'}>
              {percent(tick)}
            </text>
          </g>
        ))}
      </g>
      {models.map((model, row) => {
        const tally = model.columns[column];
        const top = AXIS_HEIGHT + row * ROW_HEIGHT + (narrow ? ROW_HEIGHT - BAR_HEIGHT - 4 : (ROW_HEIGHT - BAR_HEIGHT) / 2);
        const middle = top + BAR_HEIGHT / 2;
        const segments = [
          { kind: 'won', count: tally.won },
          { kind: 'even', count: tally.even },
          { kind: 'lost', count: tally.lost },
        ];
        let start = 0;
        return (
          <g key={model.model} className="audit-row" data-model={model.model} data-cards={tally.cards} data-won={tally.won}>
            <title>{tallySentence(model, column)}</title>
            {narrow ? (
              <text className="audit-model" x={0} y={top - 9}>
                {shortened(model.model, 40)}
              </text>
            ) : (
              <text className="audit-model" x={LABEL_WIDTH - 10} y={middle} textAnchor="end" dominantBaseline="central">
                {shortened(model.model)}
              </text>
            )}
            <clipPath id={`${clipBase}-${row}`}>
              <rect x={x(0)} y={top} width={BAR_WIDTH} height={BAR_HEIGHT} rx={5} />
            </clipPath>
            <rect className="audit-track" x={x(0)} y={top} width={BAR_WIDTH} height={BAR_HEIGHT} rx={5} />
            <g clipPath={`url(#${clipBase}-${row})`}>
            {segments.map((segment) => {
              const share = tally.cards ? segment.count / tally.cards : 0;
              const left = x(start);
              start += share;
              if (share === 0) return null;
              const width = share * BAR_WIDTH;
              return (
                <g key={segment.kind}>
                  <rect className={`audit-${segment.kind}`} x={left} y={top} width={width} height={BAR_HEIGHT} />
                  {width >= MIN_COUNT_WIDTH && (
                    <text className={`audit-count audit-count-${segment.kind}`} x={left + width / 2} y={middle} textAnchor="middle" dominantBaseline="central">
                      {segment.count}
                    </text>
                  )}
                </g>
              );
            })}
            </g>
            <text className="audit-figure" x={x(1) + 12} y={middle} dominantBaseline="central">
              <tspan className="audit-rate">{percent(winRate(tally))} won</tspan>
              <tspan className="audit-n" dx={6}>
                {cardsText(tally.cards)}
              </tspan>
            </text>
          </g>
        );
      })}
    </svg>
  );
}
