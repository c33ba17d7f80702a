// The preview image link previews show (og:image): one static picture of the site, served by the app.
export const SHARE_IMAGE_PATH = '/share/preview.png';

export function shareImageUrl(publicUrl: string): string {
  return `${publicUrl}${SHARE_IMAGE_PATH}`;
}

/** The HTML a partner site pastes to show a widget (shown on the page as text, so escaped twice). */
export function embedSnippet(publicUrl: string, path: string, title: string, height = 220): string {
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${publicUrl}${path}" title="${attr(title)}" width="360" height="${height}" loading="lazy"></iframe>`;
}
