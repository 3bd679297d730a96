import { useState, type DragEvent } from 'react';
import type { AnalysisResult } from '@/lib/engine/types';

export interface AnalyzedFile {
  name: string;
  result: AnalysisResult;
  annotatedUrl: string | null;
}

type Entry = { name: string; status: 'running' } | { name: string; status: 'done'; file: AnalyzedFile } | { name: string; status: 'failed'; error: string };

/** Pick or drop local images and see the same analysis the overlay runs on feeds. */
export function AnalyzeView({ analyze }: { analyze: (file: File) => Promise<AnalyzedFile> }) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [dragOver, setDragOver] = useState(false);

  async function addFiles(files: File[]) {
    for (const file of files) {
      setEntries((current) => [{ name: file.name, status: 'running' }, ...current]);
      const settled: Entry = await analyze(file).then(
        (analyzed): Entry => ({ name: file.name, status: 'done', file: analyzed }),
        (error: unknown): Entry => ({ name: file.name, status: 'failed', error: error instanceof Error ? error.message : String(error) }),
      );
      setEntries((current) => current.map((entry) => (entry.name === file.name && entry.status === 'running' ? settled : entry)));
    }
  }

  function onDrop(event: DragEvent<HTMLLabelElement>) {
    event.preventDefault();
    setDragOver(false);
    void addFiles([...event.dataTransfer.files]);
  }

  return (
    <main>
      <h1>Analyse images</h1>
      <label
        className="drop"
        data-over={dragOver}
        onDragOver={(event) => {
          event.preventDefault();
          setDragOver(true);
        }}
        onDragLeave={() => setDragOver(false)}
        onDrop={onDrop}
      >
        Drop comparison cards here, or choose files
        <input type="file" accept="image/*" multiple hidden onChange={(event) => void addFiles([...(event.target.files ?? [])])} />
      </label>
      <div aria-live="polite">
        {entries.map((entry, index) => (
          <section className="result" key={`${entry.name}-${index}`}>
            <h2>{entry.name}</h2>
            {entry.status === 'running' && <p>Analysing…</p>}
            {entry.status === 'failed' && <p className="error">{entry.error}</p>}
            {entry.status === 'done' && (
              <>
                <p className={entry.file.result.ok ? undefined : 'error'}>{entry.file.result.verdict.summary}</p>
                {entry.file.annotatedUrl && <img src={entry.file.annotatedUrl} alt={`Annotated ${entry.name}`} />}
              </>
            )}
          </section>
        ))}
      </div>
    </main>
  );
}
