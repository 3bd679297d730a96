import type { LibraryFacets } from '@/lib/library/query';
import type { LibraryQuery, SortKey } from '@/lib/library/types';

export interface LibraryToolbarProps {
  query: LibraryQuery;
  facets: LibraryFacets;
  onQueryChange: (query: LibraryQuery) => void;
}

const SORTS: { value: SortKey; label: string }[] = [
  { value: 'savedAt', label: 'Date saved' },
  { value: 'updatedAt', label: 'Last changed' },
  { value: 'realism', label: 'Realism' },
  { value: 'shadow', label: 'Shadow signal' },
  { value: 'skin', label: 'Skin signal' },
  { value: 'knit', label: 'Knit signal' },
  { value: 'ceramic', label: 'Ceramic signal' },
  { value: 'confidence', label: 'Detection confidence' },
];

/** Search, filters and sort for the library grid. */
export function LibraryToolbar({ query, facets, onQueryChange }: LibraryToolbarProps) {
  const set = (change: Partial<LibraryQuery>) => onQueryChange({ ...query, ...change });
  return (
    <div className="toolbar" role="search">
      <input
        type="search"
        className="search"
        aria-label="Search saved cards by model label, author, site or text"
        placeholder="Search labels, authors, sites, text…"
        value={query.text ?? ''}
        onChange={(event) => set({ text: event.target.value })}
      />
      <label>
        Site
        <select value={query.site ?? ''} onChange={(event) => set({ site: event.target.value || null })}>
          <option value="">All sites</option>
          {facets.sites.map((site) => (
            <option key={site} value={site}>
              {site}
            </option>
          ))}
        </select>
      </label>
      <label>
        Model
        <select value={query.label ?? ''} onChange={(event) => set({ label: event.target.value || null })}>
          <option value="">All models</option>
          {facets.labels.map((label) => (
            <option key={label} value={label}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {facets.tags.length > 0 && (
        <label>
          Tag
          <select value={query.tag ?? ''} onChange={(event) => set({ tag: event.target.value || null })}>
            <option value="">All tags</option>
            {facets.tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Controlled
        <select value={query.controlled ?? 'any'} onChange={(event) => set({ controlled: event.target.value as LibraryQuery['controlled'] })}>
          <option value="any">Any</option>
          <option value="yes">Controlled</option>
          <option value="no">Not controlled</option>
          <option value="unknown">Unknown</option>
        </select>
      </label>
      <label>
        Verdict
        <select value={query.verdict ?? 'any'} onChange={(event) => set({ verdict: event.target.value as LibraryQuery['verdict'] })}>
          <option value="any">Any</option>
          <option value="decided">Has a winner</option>
          <option value="undecided">No winner</option>
        </select>
      </label>
      <label>
        Sort by
        <select value={query.sort ?? 'savedAt'} onChange={(event) => set({ sort: event.target.value as SortKey })}>
          {SORTS.map((sort) => (
            <option key={sort.value} value={sort.value}>
              {sort.label}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        aria-label={query.direction === 'asc' ? 'Ascending order: switch to descending' : 'Descending order: switch to ascending'}
        onClick={() => set({ direction: query.direction === 'asc' ? 'desc' : 'asc' })}
      >
        {query.direction === 'asc' ? '↑' : '↓'}
      </button>
    </div>
  );
}
