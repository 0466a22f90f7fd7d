export { authenticateKey } from './authenticate.ts';
export { AuthError, type AuthErrorCode, isAuthError } from './errors.ts';
export { generateApiKey, hashApiKey, type KeyScope, keyScope } from './keys.ts';
export { type TokenClaims, TokenClaimsSchema, TokenIssuer, type VerifiedToken } from './tokens.ts';
