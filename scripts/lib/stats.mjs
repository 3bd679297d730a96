/** Medians and spread for benchmark tables: these machines are noisy, so never a single number. */
export function summarize(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return { n: 0, median: NaN, p25: NaN, p75: NaN, min: NaN, max: NaN };
  const at = (q) => {
    const position = (sorted.length - 1) * q;
    const low = Math.floor(position);
    const high = Math.ceil(position);
    return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
  };
  return { n: sorted.length, median: at(0.5), p25: at(0.25), p75: at(0.75), min: sorted[0], max: sorted[sorted.length - 1] };
}

export function formatSummary(summary, digits = 1, unit = '') {
  if (!summary.n) return 'n/a';
  const f = (value) => value.toFixed(digits);
  return `${f(summary.median)}${unit} (IQR ${f(summary.p25)}–${f(summary.p75)}, n=${summary.n})`;
}
