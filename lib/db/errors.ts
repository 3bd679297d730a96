/** Why a library operation failed, in words a user can act on. Nothing saved before is changed by any of these. */
export type LibraryErrorKind = 'quota' | 'blocked' | 'outdated' | 'unavailable' | 'write-failed' | 'read-failed' | 'not-found';

export class LibraryError extends Error {
  override readonly name = 'LibraryError';
  constructor(
    readonly kind: LibraryErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const MESSAGES: Record<LibraryErrorKind, string> = {
  quota: 'The library is out of storage space, so this was not saved. Cards saved before are untouched: free some disk space or delete cards you no longer need, then try again.',
  blocked:
    "The library's database needs an upgrade, but another Sidelight tab or side panel still has the old version open. Close other library tabs and side panels, then try again. Nothing saved was lost.",
  outdated: 'Sidelight was updated while this page was open. Reload the page to use the library; nothing saved was lost.',
  unavailable: 'The library cannot open its database: this browser profile does not allow extension storage (private window or site data turned off).',
  'write-failed': 'The library could not write this change. Cards saved before are untouched; try again.',
  'read-failed': 'The library could not read its database.',
  'not-found': 'That card is not in the library (it may have been deleted in another tab).',
};

export function libraryError(kind: LibraryErrorKind, cause?: unknown, detail?: string): LibraryError {
  return new LibraryError(kind, detail ? `${MESSAGES[kind]} (${detail})` : MESSAGES[kind], { cause });
}

/** Every error name along Dexie's wrapping chain (`inner`) and standard `cause`s. */
function errorNames(error: unknown): string[] {
  const names: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const named = current as { name?: unknown; inner?: unknown; cause?: unknown };
    if (typeof named.name === 'string') names.push(named.name);
    current = named.inner ?? named.cause;
  }
  return names;
}

function innermostMessage(error: unknown): string | undefined {
  let message: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const named = current as { message?: unknown; inner?: unknown; cause?: unknown };
    if (typeof named.message === 'string' && named.message) message = named.message;
    current = named.inner ?? named.cause;
  }
  return message;
}

/** Maps an IndexedDB or Dexie failure onto one of the library's typed errors. */
export function toLibraryError(error: unknown, action: 'read' | 'write' | 'open'): LibraryError {
  if (error instanceof LibraryError) return error;
  const names = errorNames(error);
  if (names.includes('QuotaExceededError')) return libraryError('quota', error);
  if (names.includes('VersionError')) return libraryError('outdated', error);
  if (names.includes('MissingAPIError') || names.includes('SecurityError')) return libraryError('unavailable', error);
  const detail = innermostMessage(error);
  return libraryError(action === 'read' ? 'read-failed' : 'write-failed', error, detail);
}

/** Failures worth one more try: the connection was closed under us (upgrade in another tab) or the browser hiccupped. */
export function isTransientWriteFailure(error: unknown): boolean {
  const names = errorNames(error);
  if (names.includes('QuotaExceededError') || names.includes('VersionError')) return false;
  return ['DatabaseClosedError', 'TransactionInactiveError', 'UnknownError', 'AbortError', 'InvalidStateError'].some((name) => names.includes(name));
}
