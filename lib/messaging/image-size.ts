/**
 * The largest image file Sidelight reads, from a page (the content script's own `blob:` and
 * `data:` pictures), the web, or the user's files: no comparison card is that big, and neither a
 * page nor the engine may run out of memory on one picture.
 */
export const MAX_IMAGE_BYTES = 40 * 1024 * 1024;

/**
 * What the user reads about a picture over the limit: "The image is 52 MB; Sidelight reads files
 * up to 40 MB." Rounded up, so a file just over the limit never reads as the limit itself.
 */
export function tooLargeMessage(bytes: number, subject = 'The image'): string {
  return `${subject} is ${Math.ceil(bytes / 1048576)} MB; Sidelight reads files up to ${MAX_IMAGE_BYTES / 1048576} MB.`;
}
