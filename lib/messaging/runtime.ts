import { browser, type Browser } from 'wxt/browser';
import {
  isEnvelope,
  makeEnvelope,
  type Envelope,
  type MessageName,
  type ReplyEnvelope,
  type ReplyOf,
  type RequestOf,
  type Target,
} from './protocol';

/** Sends one typed message and unwraps its reply; a handler's failure becomes a rejected promise. */
export async function sendMessage<N extends MessageName>(name: N, request: RequestOf<N>): Promise<ReplyOf<N>> {
  const reply = (await browser.runtime.sendMessage(makeEnvelope(name, request))) as ReplyEnvelope<N> | undefined;
  if (!reply) throw new Error(`No Sidelight context answered "${name}".`);
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}

/** Sends one typed message to a content script in one frame of a tab. */
export async function sendToTab<N extends MessageName>(tabId: number, frameId: number | undefined, name: N, request: RequestOf<N>): Promise<ReplyOf<N>> {
  const reply = (await browser.tabs.sendMessage(tabId, makeEnvelope(name, request), frameId === undefined ? undefined : { frameId })) as
    | ReplyEnvelope<N>
    | undefined;
  if (!reply) throw new Error(`The page did not answer "${name}".`);
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}

export type Handlers<T extends Target> = {
  [N in MessageName as Envelope<N>['target'] extends T ? N : never]: (
    request: RequestOf<N>,
    sender: Browser.runtime.MessageSender,
  ) => Promise<ReplyOf<N>>;
};

/**
 * Answers the messages addressed to `target`. Messages that are not ours, are for another
 * target, or come from outside this extension are ignored (no reply, so other listeners may answer).
 */
export function listen<T extends Target>(target: T, handlers: Handlers<T>): () => void {
  const listener = (message: unknown, sender: Browser.runtime.MessageSender, sendResponse: (reply: ReplyEnvelope) => void) => {
    if (!isEnvelope(message) || message.target !== target) return undefined;
    if (!isOwnSender(sender)) return undefined;
    const handler = (handlers as Record<string, ((request: unknown, sender: Browser.runtime.MessageSender) => Promise<unknown>) | undefined>)[message.name];
    if (!handler) return undefined;
    handler(message.request, sender).then(
      (value) => sendResponse({ ok: true, value } as ReplyEnvelope),
      (error: unknown) => sendResponse({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
    return true;
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}

/** Only this extension's own pages, workers and content scripts may talk to it. */
export function isOwnSender(sender: Browser.runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id;
}
