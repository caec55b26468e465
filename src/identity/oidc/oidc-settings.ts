import { PERSON_ROLES, type PersonRole } from '../../http/access/roles'

/**
 * Sign-in through the organisation's identity provider (OpenID Connect), configured by
 * LEDGER_OIDC_*; none of them set means no such sign-in. Pure: the environment in, the settings
 * or an error naming the variable out.
 */
export interface OidcSettings {
  readonly issuer: URL
  readonly clientId: string
  readonly clientSecret?: string
  readonly redirectUri: URL
  /** Where the provider sends the browser after signing out there: the page (by default the redirect URI's origin). */
  readonly postLogoutRedirectUri?: URL
  /** The claim that carries the person's roles (a string or an array of strings). */
  readonly roleClaim: string
  /** Claim value → role; by default each role's own name. */
  readonly roleMap: Readonly<Record<string, PersonRole>>
  /** Seconds added to this server's clock when checking tokens (tests move it; 0 otherwise). */
  readonly clockSkew?: number
}

export class OidcSettingsError extends Error {}

const url = (env: NodeJS.ProcessEnv, name: string): URL => {
  const v = env[name]
  if (!v) throw new OidcSettingsError(`${name} is required with LEDGER_OIDC_ISSUER`)
  try {
    return new URL(v)
  } catch {
    throw new OidcSettingsError(`${name}: expected an absolute URL, got "${v}"`)
  }
}

const roleMap = (text: string | undefined): Record<string, PersonRole> => {
  if (!text) return Object.fromEntries(PERSON_ROLES.map((r) => [r, r]))
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new OidcSettingsError('LEDGER_OIDC_ROLE_MAP: expected JSON, e.g. {"ledger-finance": "finance", "ledger-audit": "auditor"}')
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new OidcSettingsError('LEDGER_OIDC_ROLE_MAP: expected a JSON object of claim value → role')
  for (const [k, v] of Object.entries(json))
    if (!PERSON_ROLES.includes(v as PersonRole)) throw new OidcSettingsError(`LEDGER_OIDC_ROLE_MAP.${k}: expected one of ${PERSON_ROLES.join(', ')}, got ${JSON.stringify(v)}`)
  return json as Record<string, PersonRole>
}

export const oidcSettings = (env: NodeJS.ProcessEnv): OidcSettings | undefined => {
  if (!env.LEDGER_OIDC_ISSUER) {
    const stray = ['LEDGER_OIDC_CLIENT_ID', 'LEDGER_OIDC_CLIENT_SECRET', 'LEDGER_OIDC_REDIRECT_URI', 'LEDGER_OIDC_POST_LOGOUT_REDIRECT_URI'].find((n) => env[n])
    if (stray) throw new OidcSettingsError(`${stray} is set but LEDGER_OIDC_ISSUER is not: set the issuer too, or unset ${stray}`)
    return undefined
  }
  const clientId = env.LEDGER_OIDC_CLIENT_ID
  if (!clientId) throw new OidcSettingsError('LEDGER_OIDC_CLIENT_ID is required with LEDGER_OIDC_ISSUER')
  return {
    issuer: url(env, 'LEDGER_OIDC_ISSUER'),
    clientId,
    ...(env.LEDGER_OIDC_CLIENT_SECRET ? { clientSecret: env.LEDGER_OIDC_CLIENT_SECRET } : {}),
    redirectUri: url(env, 'LEDGER_OIDC_REDIRECT_URI'),
    ...(env.LEDGER_OIDC_POST_LOGOUT_REDIRECT_URI ? { postLogoutRedirectUri: url(env, 'LEDGER_OIDC_POST_LOGOUT_REDIRECT_URI') } : {}),
    roleClaim: env.LEDGER_OIDC_ROLE_CLAIM || 'roles',
    roleMap: roleMap(env.LEDGER_OIDC_ROLE_MAP),
  }
}

/**
 * The ledger role of a person from their claims: the roles the claim's values map to, the first of
 * them in the order finance, auditor, dashboard, admin; null when none maps (such a person may
 * sign in and is refused everything, so the administrator sees who tried).
 */
export const roleFromClaims = (claims: Readonly<Record<string, unknown>>, s: Pick<OidcSettings, 'roleClaim' | 'roleMap'>): PersonRole | null => {
  const raw = claims[s.roleClaim]
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]
  const mapped = new Set(values.filter((v): v is string => typeof v === 'string').map((v) => s.roleMap[v]))
  return PERSON_ROLES.find((r) => mapped.has(r)) ?? null
}

/** The name events record: the claims' name, else preferred_username, else the subject. */
export const nameFromClaims = (claims: Readonly<Record<string, unknown>>): string => {
  for (const k of ['name', 'preferred_username', 'sub']) {
    const v = claims[k]
    if (typeof v === 'string' && v.trim() !== '') return v.trim().slice(0, 100)
  }
  return 'unknown'
}
