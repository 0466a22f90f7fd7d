/**
 * Short-lived tokens the gateway and dashboard hand out for an API key, signed with jose. The App
 * signs with its own GitHub private key (RS256), so a deployment needs no extra secret; a shared
 * secret (HS256) serves tools and tests that have no App key.
 */
import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { KeyScopeSchema } from '../store/keys.ts';
import { AuthError } from './errors.ts';

export const TokenClaimsSchema = z.object({
  client_id: z.uuid().nullable(),
  project: z.string().nullable(),
  scope: KeyScopeSchema,
  key_id: z.number().int().positive(),
});
export type TokenClaims = z.infer<typeof TokenClaimsSchema>;
export type VerifiedToken = TokenClaims & { jti: string; exp: number };

const ISSUER = 'idse-agency-core';

export class TokenIssuer {
  private readonly alg: 'RS256' | 'HS256';
  private readonly signingKey: KeyObject;
  private readonly verifyingKey: KeyObject;

  private constructor(alg: 'RS256' | 'HS256', signingKey: KeyObject, verifyingKey: KeyObject) {
    this.alg = alg;
    this.signingKey = signingKey;
    this.verifyingKey = verifyingKey;
  }

  /** From a PEM RSA private key, PKCS#1 or PKCS#8 (GitHub hands out PKCS#1). */
  static fromPrivateKey(pem: string): TokenIssuer {
    const key = createPrivateKey(pem);
    return new TokenIssuer('RS256', key, createPublicKey(key));
  }

  /** From a shared secret of at least 32 bytes. */
  static fromSecret(secret: string): TokenIssuer {
    if (Buffer.byteLength(secret) < 32) throw new RangeError('a token secret needs at least 32 bytes');
    const key = createSecretKey(Buffer.from(secret));
    return new TokenIssuer('HS256', key, key);
  }

  async issue(
    claims: TokenClaims,
    options: { audience: string; ttlSeconds: number; now?: Date },
  ): Promise<{ token: string; expires_at: string }> {
    const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const exp = iat + options.ttlSeconds;
    const token = await new SignJWT(TokenClaimsSchema.parse(claims))
      .setProtectedHeader({ alg: this.alg, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(options.audience)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.signingKey);
    return { token, expires_at: new Date(exp * 1000).toISOString() };
  }

  /** The token's claims, or an AuthError: `token-expired`, else `token-invalid` for anything wrong. */
  async verify(token: string, audience: string, options: { now?: Date } = {}): Promise<VerifiedToken> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.verifyingKey, {
        algorithms: [this.alg],
        issuer: ISSUER,
        audience,
        requiredClaims: ['exp', 'jti'],
        ...(options.now ? { currentDate: options.now } : {}),
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new AuthError('token-expired', 'the token has expired');
      throw new AuthError('token-invalid', 'the token is not valid here');
    }
    const claims = TokenClaimsSchema.safeParse(payload);
    if (!claims.success) throw new AuthError('token-invalid', 'the token is not valid here');
    return { ...claims.data, jti: String(payload.jti), exp: Number(payload.exp) };
  }
}
