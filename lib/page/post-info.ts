import { adapterFor } from '../sites/registry';

/** What a save records about the post around an image. */
export interface PagePostInfo {
  postUrl: string | null;
  author: string | null;
  postText: string | null;
}

/** The post an image belongs to, read by this site's adapter (lib/sites); its text, else its images' alt text. */
export function postInfoFor(image: HTMLImageElement): PagePostInfo {
  const post = adapterFor(location, document).postFor(image);
  if (!post) return { postUrl: null, author: null, postText: image.alt.trim() || null };
  return { postUrl: post.postUrl, author: post.author, postText: post.text ?? post.altText };
}
