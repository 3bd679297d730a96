// jsdom ships no types and @types/jsdom is not a dependency: the little the e2e helpers use.
declare module 'jsdom' {
  export class JSDOM {
    constructor(html: string, options?: { url?: string; contentType?: string });
    readonly window: Window & typeof globalThis;
    serialize(): string;
  }
}
