/**
 * Whether `text` is a link Discord accepts in an embed: an absolute http or https URL. Discord
 * refuses any other scheme (ftp:, javascript:, data:…) with 400, failing the whole message, so the
 * corpus check refuses them and the payload builder drops any that get through.
 */
export function isWebUrl(text: string): boolean {
  if (text.length > 2048) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
