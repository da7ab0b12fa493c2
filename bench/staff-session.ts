/**
 * A staff member signed in over HTTP as a person would: the sign-in form, then the second factor's enrolment with the
 * key the page shows (its code computed like an authenticator app). For benchmarks of staff pages.
 */
import * as cheerio from 'cheerio';
import { totp } from '../src/domain/totp.ts';

/** The `signup=…` session cookie a response sets, or the one the client already had. */
export function sessionCookie(response: Response, previous?: string): string {
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('signup='));
  const value = cookie ?? previous;
  if (!value) throw new Error(`no session cookie (HTTP ${response.status})`);
  return value;
}

async function form(
  url: string,
  cookie: string | undefined,
): Promise<{ response: Response; $: cheerio.CheerioAPI; csrf: string }> {
  const response = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  const $ = cheerio.load(await response.text());
  const csrf = $('main form input[name="_csrf"]').attr('value');
  if (!csrf) throw new Error(`no CSRF token on ${url} (HTTP ${response.status})`);
  return { response, $, csrf };
}

async function post(url: string, cookie: string, fields: Record<string, string>): Promise<Response> {
  const response = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  await response.arrayBuffer();
  return response;
}

/** The session cookie (`name=value`) of `email`, signed in with `password` and enrolled in the second factor. */
export async function staffSession(baseUrl: string, email: string, password: string): Promise<string> {
  const signInPage = await form(`${baseUrl}/connexion`, undefined);
  let cookie = sessionCookie(signInPage.response);
  const signedIn = await post(`${baseUrl}/connexion`, cookie, { _csrf: signInPage.csrf, email, password });
  if (signedIn.status !== 303) throw new Error(`sign-in of ${email}: HTTP ${signedIn.status}`);
  cookie = sessionCookie(signedIn, cookie);
  const secondFactor = await form(`${baseUrl}${signedIn.headers.get('location')}`, cookie);
  const key = secondFactor.$('.signup-totp-secret').text().replace(/\s/g, '');
  if (!key) throw new Error(`${email}: no second factor key to enrol with`);
  const verified = await post(`${baseUrl}${signedIn.headers.get('location')}`, cookie, {
    _csrf: secondFactor.csrf,
    code: totp(key, Date.now()),
  });
  if (verified.status !== 303) throw new Error(`second factor of ${email}: HTTP ${verified.status}`);
  return sessionCookie(verified, cookie);
}
