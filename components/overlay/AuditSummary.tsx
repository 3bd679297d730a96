import type { Consistency } from '@/lib/engine/types';

const PARTS = ['identity', 'pose', 'framing', 'lighting'] as const;

function agreement(value: number | null): string {
  return value === null ? 'unknown' : `${Math.round(value * 100)}%`;
}

/** The controlled-comparison audit: a plain warning when the two panels differ in more than the renderer. */
export function AuditSummary({ consistency }: { consistency: Consistency }) {
  if (consistency.controlled === null && PARTS.every((part) => consistency[part] === null)) return null;
  const state = consistency.controlled === true ? 'controlled' : consistency.controlled === false ? 'uncontrolled' : 'unknown';
  const heading = { controlled: 'Controlled comparison', uncontrolled: 'Not a controlled comparison', unknown: 'Control unknown' }[state];
  return (
    <div className={`audit audit-${state}`} role={state === 'uncontrolled' ? 'note' : undefined}>
      <p className="audit-heading">
        {state === 'uncontrolled' && (
          <span className="audit-mark" aria-hidden="true">
            !
          </span>
        )}
        {heading}
      </p>
      <p className="audit-parts">
        {PARTS.map((part) => (
          <span key={part} className="audit-part">
            {part} <strong>{agreement(consistency[part])}</strong>
          </span>
        ))}
      </p>
    </div>
  );
}
