import Bowser from 'bowser';

/**
 * « Firefox sur Windows », « Safari sur iOS »: a browser's User-Agent as people name their browser (the raw string
 * means nothing to most). Unknown parts are left out; nothing recognised: « Navigateur inconnu ».
 */
export function describeUserAgent(userAgent: string | null | undefined): string {
  const parsed = Bowser.parse(userAgent?.trim() || ' ');
  const browser = parsed.browser.name;
  const system = parsed.os.name;
  if (browser && system) return `${browser} sur ${system}`;
  return browser || (system ? `Navigateur sur ${system}` : 'Navigateur inconnu');
}
