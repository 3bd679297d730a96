/** The TC39 base64 methods on Uint8Array (Chromium 140+, Firefox 133+); absent from TypeScript's lib so far. */
interface NativeBase64 {
  toBase64?: (this: Uint8Array) => string;
}
interface NativeFromBase64 {
  fromBase64?: (base64: string) => Uint8Array;
}

/** Base64 for image bytes crossing JSON-only extension messaging; chunked so large images do not overflow the stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  const native = (bytes as NativeBase64).toBase64;
  if (native) return native.call(bytes);
  let binary = '';
  // Small chunks through apply: spreading 32K arguments is ten times slower in V8.
  const chunk = 0x1000;
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    binary += String.fromCharCode.apply(null, bytes.subarray(offset, offset + chunk) as unknown as number[]);
  }
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  const native = (Uint8Array as NativeFromBase64).fromBase64;
  if (native) return native(base64);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
