import { SignJWT, UnsecuredJWT } from 'jose';
import { createHmac } from 'node:crypto';
import { decodeClaims, Hs256Verifiers, TokenRefusedError, type TokenRefusal } from './hs256';

const SECRET = 'a-realm-secret-of-enough-length-0123456789';
const OTHER_SECRET = 'another-realm-secret-of-enough-length-987';
const key = (secret: string): Uint8Array => new TextEncoder().encode(secret);
const inAnHour = (): number => Math.floor(Date.now() / 1000) + 3600;

/** Tokens are signed with jose: a second implementation, as a game backend would use. */
function sign(
  claims: Record<string, unknown>,
  options: { alg?: string; secret?: string; exp?: number | null } = {},
): Promise<string> {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? 'HS256' });
  if (options.exp !== null) {
    jwt = jwt.setExpirationTime(options.exp ?? inAnHour());
  }
  return jwt.sign(key(options.secret ?? SECRET));
}

function refusalOf(verify: () => unknown): TokenRefusal | 'accepted' {
  try {
    verify();
    return 'accepted';
  } catch (error) {
    if (error instanceof TokenRefusedError) {
      return error.refusal;
    }
    throw error;
  }
}

describe('Hs256Verifiers', () => {
  const players = new Hs256Verifiers({ requiredClaims: ['sub', 'exp'] });
  const staff = new Hs256Verifiers({
    requiredClaims: ['sub', 'exp'],
    issuer: 'gmdesk',
    audience: 'gmdesk:staff',
  });

  it('reads the claims of a token another library signed with the secret', async () => {
    const token = await sign({ sub: 'acc-1', realm: 'eu-1', name: 'Aldric' });
    expect(players.verify(token, SECRET)).toMatchObject({
      sub: 'acc-1',
      realm: 'eu-1',
      name: 'Aldric',
    });
    // The same secret as bytes (the staff signing key) names the same verifier.
    expect(players.verify(token, key(SECRET))).toMatchObject({ sub: 'acc-1' });
  });

  it('tells a signature by another key apart from an invalid token', async () => {
    const token = await sign({ sub: 'acc-1' }, { secret: OTHER_SECRET });
    expect(refusalOf(() => players.verify(token, SECRET))).toBe('wrong_key');
    expect(refusalOf(() => players.verify(token, OTHER_SECRET))).toBe('accepted');
  });

  it('refuses an expired token as expired', async () => {
    const token = await sign({ sub: 'acc-1' }, { exp: Math.floor(Date.now() / 1000) - 120 });
    expect(refusalOf(() => players.verify(token, SECRET))).toBe('expired');
  });

  it('refuses a token without the required claims', async () => {
    expect(refusalOf(() => players.verify(signedWithoutSubject(), SECRET))).toBe('invalid');
    const noExpiry = await sign({ sub: 'acc-1' }, { exp: null });
    expect(refusalOf(() => players.verify(noExpiry, SECRET))).toBe('invalid');
  });

  it('refuses every algorithm but HS256: none, HS512, and a forged header', async () => {
    const unsigned = new UnsecuredJWT({ sub: 'acc-1' }).setExpirationTime(inAnHour()).encode();
    expect(refusalOf(() => players.verify(unsigned, SECRET))).toBe('invalid');
    const hs512 = await sign({ sub: 'acc-1' }, { alg: 'HS512' });
    expect(refusalOf(() => players.verify(hs512, SECRET))).toBe('invalid');
    // An HS256 signature under a header claiming another algorithm.
    const header = Buffer.from(JSON.stringify({ alg: 'RS256' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'acc-1', exp: inAnHour() })).toString(
      'base64url',
    );
    const signature = createHmac('sha256', SECRET)
      .update(`${header}.${payload}`)
      .digest('base64url');
    expect(refusalOf(() => players.verify(`${header}.${payload}.${signature}`, SECRET))).toBe(
      'invalid',
    );
  });

  it('holds staff tokens to their issuer and audience', async () => {
    const good = await sign({ sub: 's-1', iss: 'gmdesk', aud: 'gmdesk:staff' });
    expect(refusalOf(() => staff.verify(good, SECRET))).toBe('accepted');
    const playerAudience = await sign({ sub: 's-1', iss: 'gmdesk', aud: 'game' });
    expect(refusalOf(() => staff.verify(playerAudience, SECRET))).toBe('invalid');
    const otherIssuer = await sign({ sub: 's-1', iss: 'elsewhere', aud: 'gmdesk:staff' });
    expect(refusalOf(() => staff.verify(otherIssuer, SECRET))).toBe('invalid');
  });

  it('refuses garbage without throwing anything but a refusal', () => {
    for (const token of ['', 'a.b', 'a.b.c', '...', 'eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.x']) {
      expect(refusalOf(() => players.verify(token, SECRET))).toBe('invalid');
    }
  });
});

describe('decodeClaims', () => {
  it('reads the claims without verifying, and answers null for what is not a JWT', async () => {
    expect(decodeClaims(await sign({ sub: 'acc-1', realm: 'eu-1' }))).toMatchObject({
      realm: 'eu-1',
    });
    expect(decodeClaims('not a token')).toBeNull();
    expect(decodeClaims('')).toBeNull();
  });
});

function signedWithoutSubject(): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ exp: inAnHour() })).toString('base64url');
  const signature = createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
