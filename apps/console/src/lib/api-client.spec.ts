/// <reference types="jest" />
import { api, ApiError, configureAuth } from './api-client';

/**
 * The api client hands a refused token to the session (which signs the tab out) for every code
 * that means the session is over, and sends the extra headers a call asks for (refresh's CSRF
 * header). `fetch` is replaced: this is the unit around it.
 */
describe('api()', () => {
  const realFetch = globalThis.fetch;
  let sent: { url: string; init: RequestInit }[];
  let answer: Response;
  let refused: string[];

  beforeEach(() => {
    sent = [];
    refused = [];
    globalThis.fetch = ((url: string, init: RequestInit) => {
      sent.push({ url, init });
      return Promise.resolve(answer);
    }) as typeof fetch;
    configureAuth({
      accessToken: () => Promise.resolve('the-token'),
      unauthenticated: (code) => void refused.push(code),
    });
  });

  afterAll(() => {
    globalThis.fetch = realFetch;
  });

  const error = (status: number, code: string): Response =>
    new Response(JSON.stringify({ error: { code, message: code } }), { status });

  it.each(['unauthenticated', 'token_expired', 'token_revoked', 'account_disabled'])(
    'ends the session on a 401 %s',
    async (code) => {
      answer = error(401, code);

      await expect(api('GET', '/auth/me')).rejects.toBeInstanceOf(ApiError);

      expect(refused).toEqual([code]);
    },
  );

  it('does not end the session for the calls that establish one (login, refresh)', async () => {
    answer = error(401, 'token_revoked');

    await expect(
      api('POST', '/auth/refresh', {
        authenticated: false,
        headers: { 'x-requested-with': 'gmdesk-console' },
      }),
    ).rejects.toMatchObject({ status: 401, code: 'token_revoked' });

    expect(refused).toEqual([]);
    expect(sent[0]?.init.headers).toMatchObject({ 'x-requested-with': 'gmdesk-console' });
    expect(sent[0]?.init.headers).not.toHaveProperty('authorization');
  });
});
