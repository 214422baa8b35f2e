/**
 * AWS's own model of the user pools API, as the current AWS SDK for JavaScript (v3,
 * `@aws-sdk/client-cognito-identity-provider`, a devDependency) ships it: the operation schemas
 * it serializes with (`InitiateAuth$` … : member names, which members are required, strings,
 * numbers, string maps and lists), its enums (AuthFlowType, ChallengeNameType) and its auth
 * scheme per operation (SigV4 or none). Requests the provider sends and answers the tests script
 * are checked against it, so that neither invents a member.
 *
 * The schema tuples are smithy's static schemas: `[3, ns, name, traits, memberNames,
 * memberSchemas, requiredCount]` a structure (the first `requiredCount` members required),
 * `[2, …, key, value]` a map, `[1, …, value]` a list, `[0, …, type]` a named simple type; a
 * number is a simple type (0 string, 1 number, 2 boolean; `64 |` a list of, `128 |` a map of);
 * a member may be `[schema, memberTraits]`, and any schema may come behind a function.
 */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';

type Schema = unknown;
const model = sdk as unknown as Record<string, unknown>;

const resolve = (s: Schema): Schema => (typeof s === 'function' ? resolve((s as () => Schema)()) : s);

/** A member's schema without its member traits. */
function memberSchema(m: Schema): Schema {
  const r = resolve(m);
  return Array.isArray(r) && typeof r[0] !== 'number' ? resolve(r[0]) : r;
}

function misfitsOf(value: unknown, schema: Schema, path: string): string[] {
  const s = memberSchema(schema);
  if (typeof s === 'number') {
    if (s & 128) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: not a map`];
      return Object.entries(value).flatMap(([k, v]) => misfitsOf(v, s & ~128, `${path}[${k}]`));
    }
    if (s & 64) return Array.isArray(value) ? value.flatMap((v, i) => misfitsOf(v, s & ~64, `${path}[${i}]`)) : [`${path}: not a list`];
    if (s === 0) return typeof value === 'string' ? [] : [`${path}: not a string`];
    if (s === 1) return typeof value === 'number' ? [] : [`${path}: not a number`];
    if (s === 2) return typeof value === 'boolean' ? [] : [`${path}: not a boolean`];
    return [];
  }
  if (!Array.isArray(s)) return [`${path}: unknown schema`];
  switch (s[0]) {
    case 0:
      return misfitsOf(value, s[4], path);
    case 1:
      return Array.isArray(value) ? value.flatMap((v, i) => misfitsOf(v, s[4], `${path}[${i}]`)) : [`${path}: not a list`];
    case 2:
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: not a map`];
      return Object.entries(value).flatMap(([k, v]) => misfitsOf(v, s[5], `${path}[${k}]`));
    case 3: {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: not an object`];
      const names = s[4] as string[];
      const schemas = s[5] as Schema[];
      const required = names.slice(0, typeof s[6] === 'number' ? s[6] : 0);
      const out = required.filter((k) => !(k in value)).map((k) => `${path}.${k}: required, missing`);
      for (const [k, v] of Object.entries(value)) {
        const at = names.indexOf(k);
        out.push(...(at >= 0 ? misfitsOf(v, schemas[at], `${path}.${k}`) : [`${path}.${k}: not in the model`]));
      }
      return out;
    }
    default:
      return [`${path}: schema kind ${String(s[0])} not handled`];
  }
}

/** Problems of an operation's request (`input`) or answer (`output`) against the v3 model; empty when it fits. */
export function misfits(operation: string, part: 'input' | 'output', value: unknown): string[] {
  const op = model[`${operation}$`];
  if (!Array.isArray(op) || op[0] !== 9) return [`${operation}: not an operation of the model`];
  const problems = misfitsOf(value, part === 'input' ? op[4] : op[5], `${operation} ${part === 'input' ? 'request' : 'answer'}`);
  // Enum members the schema types as plain strings.
  const v = value as Record<string, unknown>;
  const flows = Object.values(sdk.AuthFlowType) as string[];
  const challenges = Object.values(sdk.ChallengeNameType) as string[];
  if (typeof v.AuthFlow === 'string' && !flows.includes(v.AuthFlow)) problems.push(`${operation}.AuthFlow: ${v.AuthFlow} not an AuthFlowType`);
  if (typeof v.ChallengeName === 'string' && !challenges.includes(v.ChallengeName)) problems.push(`${operation}.ChallengeName: ${v.ChallengeName} not a ChallengeNameType`);
  for (const c of Array.isArray(v.AvailableChallenges) ? v.AvailableChallenges : []) if (!challenges.includes(c)) problems.push(`${operation}.AvailableChallenges: ${String(c)} not a ChallengeNameType`);
  return problems;
}

const schemes = new Map<string, string>();

/** How the v3 client authenticates an operation: `'sigv4'` (service cognito-idp) or `'none'`; asked once per operation. */
export function authScheme(operation: string): 'sigv4' | 'none' | string {
  let scheme = schemes.get(operation);
  if (scheme === undefined) schemes.set(operation, (scheme = askClient(operation)));
  return scheme;
}

function askClient(operation: string): string {
  // The client warns that its releases after January 2027 need Node 22 (why the devDependency is pinned).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const client = new sdk.CognitoIdentityProviderClient({ region: 'eu-west-1' });
  const provider = client.config.httpAuthSchemeProvider as (p: { operation: string; region: string }) => Array<{ schemeId: string; signingProperties?: { name?: string } }>;
  const [option] = provider({ operation, region: 'eu-west-1' });
  client.destroy();
  if (option?.schemeId === 'smithy.api#noAuth') return 'none';
  if (option?.schemeId === 'aws.auth#sigv4' && option.signingProperties?.name === 'cognito-idp') return 'sigv4';
  return String(option?.schemeId);
}
