import { APP_CONFIG, type AppConfig } from '@gmdesk/config';

import { Inject, Injectable } from '@nestjs/common';
import { decodeJwt, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { UnauthenticatedError } from '../common/domain-error';
import { GameServerPrincipal, PlayerPrincipal, StaffPrincipal } from '../common/principal';
import { RealmsService } from '../realms/realms.service';
import { SigningKeyService } from '../setup/signing-key.service';
import { StaffEntity } from '../staff/staff.entity';
import { StaffService } from '../staff/staff.service';
import { displayNameClaim, realmClaim } from './token-claims';

const STAFF_ISSUER = 'gmdesk';
const STAFF_AUDIENCE = 'gmdesk:staff';
const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9_.:@-]{1,64}$/;

export interface StaffSession {
  readonly accessToken: string;
  readonly expiresAt: Date;
  readonly staff: StaffEntity;
}

/**
 * Turns credentials into principals for every transport: staff JWTs we issue, player tokens the
 * game backend signs with its realm's secret, and game-server API keys.
 */
@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly staff: StaffService,
    private readonly realms: RealmsService,
    private readonly signingKey: SigningKeyService,
  ) {}

  async login(username: string, password: string): Promise<StaffSession> {
    const staff = await this.staff.verifyCredentials(username, password);
    const expiresAt = new Date(Date.now() + this.config.staffTokenTtlSeconds * 1000);
    const accessToken = await new SignJWT({ role: staff.role })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(staff.id)
      .setIssuer(STAFF_ISSUER)
      .setAudience(STAFF_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.signingKey.staffTokenKey());
    return { accessToken, expiresAt, staff };
  }

  /** A bearer token is a staff token when it carries our audience, else a player token. */
  authenticateBearer(token: string): Promise<StaffPrincipal | PlayerPrincipal> {
    let claims: ReturnType<typeof decodeJwt>;
    try {
      claims = decodeJwt(token);
    } catch {
      return Promise.reject(
        new UnauthenticatedError('unauthenticated', 'The bearer token is malformed.'),
      );
    }
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    return audience.includes(STAFF_AUDIENCE)
      ? this.authenticateStaffToken(token)
      : this.authenticatePlayerToken(token);
  }

  authenticateApiKey(apiKey: string): Promise<GameServerPrincipal> {
    return this.realms.authenticateApiKey(apiKey);
  }

  private async authenticateStaffToken(token: string): Promise<StaffPrincipal> {
    const payload = await verifyOrExplain(() =>
      jwtVerify(token, this.signingKey.staffTokenKey(), {
        issuer: STAFF_ISSUER,
        audience: STAFF_AUDIENCE,
        algorithms: ['HS256'],
      }),
    );
    const staff = payload.sub ? await this.staff.findActive(payload.sub) : null;
    if (!staff) {
      throw new UnauthenticatedError(
        'account_disabled',
        'This staff account is disabled or no longer exists.',
      );
    }
    // Role and realms come from the database, not the token, so a demotion takes effect at once.
    return { kind: 'staff', staffId: staff.id, role: staff.role, realms: staff.realms };
  }

  private async authenticatePlayerToken(token: string): Promise<PlayerPrincipal> {
    const claims = decodeJwt(token);
    const realmId = realmClaim(claims['realm']);
    const secret = realmId ? await this.realms.findPlayerTokenSecret(realmId) : null;
    if (!realmId || !secret) {
      throw new UnauthenticatedError('unauthenticated', 'The player token names no known realm.');
    }
    const payload = await verifyOrExplain(() =>
      jwtVerify(token, new TextEncoder().encode(secret), {
        algorithms: ['HS256'],
        requiredClaims: ['sub', 'exp'],
      }),
    );
    const accountId = payload.sub ?? '';
    if (!ACCOUNT_ID_PATTERN.test(accountId)) {
      throw new UnauthenticatedError('unauthenticated', 'The player token has an invalid subject.');
    }
    const displayName = displayNameClaim(payload['name']);
    return {
      kind: 'player',
      accountId,
      realmId,
      expiresAt: new Date((payload.exp ?? 0) * 1000),
      ...(displayName !== undefined && { displayName }),
    };
  }
}

async function verifyOrExplain(
  verify: () => ReturnType<typeof jwtVerify>,
): Promise<Awaited<ReturnType<typeof jwtVerify>>['payload']> {
  try {
    return (await verify()).payload;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      throw new UnauthenticatedError('token_expired', 'The token has expired.');
    }
    throw new UnauthenticatedError('unauthenticated', 'The token is not valid.');
  }
}
