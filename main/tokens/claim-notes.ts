/**
 * What Salesforce's token settings put in a token, read back from it: the custom attributes and custom
 * permissions an app adds (as labelled groups), and how long an ID token or asset token is valid and for
 * whom (its `exp` against its `iat`, its `aud`), explained with the app setting that decides each.
 */
import type { ClaimEntry, ClaimFormat, ClaimRow } from '../../preload/contract';
import { MAX_DISPLAY_CHARS } from './limits';

export const ID_TOKEN_LABEL = 'OpenID Connect ID token';
export const ASSET_TOKEN_LABEL = 'Salesforce asset token';

/** The group formats, by claim name: Salesforce writes both as JSON objects. */
const GROUPS: Readonly<Record<string, ClaimFormat>> = {
  custom_attributes: 'custom-attributes',
  custom_permissions: 'custom-permissions',
};
/** A group shows at most this many members; the JSON view has them all. */
const MAX_ENTRIES = 200;

const cut = (s: string) => (s.length > MAX_DISPLAY_CHARS ? `${s.slice(0, MAX_DISPLAY_CHARS)}…` : s);

/**
 * `custom_attributes` (attribute → value) and `custom_permissions` (permission → true or false) as a labelled
 * group of their members; null for any other claim, or a value that is not an object.
 */
export function groupOf(name: string, value: unknown): { format: ClaimFormat; entries: ClaimEntry[] } | null {
  const format = Object.hasOwn(GROUPS, name) ? GROUPS[name] : undefined;
  if (!format || typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const entries = Object.entries(value)
    .slice(0, MAX_ENTRIES)
    .map(([key, v]) => ({ name: cut(key), display: cut(typeof v === 'string' ? v : JSON.stringify(v)) }));
  return { format, entries };
}

/** "2 minutes", "1 hour 30 minutes", "45 seconds". */
function span(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds % 60 !== 0 || seconds < 60) return plural(seconds, 'second');
  const minutes = seconds / 60;
  if (minutes < 60 || minutes % 60 === 0)
    return minutes < 60 ? plural(minutes, 'minute') : plural(minutes / 60, 'hour');
  return `${plural(Math.floor(minutes / 60), 'hour')} ${plural(minutes % 60, 'minute')}`;
}

function validityNote(label: string, claims: Record<string, unknown>): string | null {
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number' || !Number.isFinite(iat) || !Number.isFinite(exp)) return null;
  const seconds = Math.round(exp - iat);
  if (seconds <= 0)
    return `Expires ${seconds === 0 ? 'as it is issued' : 'before it was issued'}: "exp" is not after "iat".`;
  if (label === ASSET_TOKEN_LABEL)
    return `Valid for ${span(seconds)} after it was issued (exp − iat): the app's asset token setting "Token Valid for".`;
  const minutes = seconds / 60;
  const range =
    Number.isInteger(minutes) && minutes >= 1 && minutes <= 720
      ? ''
      : ' That is outside the 1 to 720 minutes the setting allows: another server issued it, or its clock moved.';
  return `Valid for ${span(seconds)} after it was issued (exp − iat). Salesforce sets this with the app's ID token setting "ID Token Valid for": 1 to 720 minutes, 2 by default.${range}`;
}

function audienceNote(label: string, claims: Record<string, unknown>): string | null {
  const aud = claims['aud'];
  const list = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a) => typeof a === 'string') : [];
  if (list.length === 0) return null;
  if (label === ASSET_TOKEN_LABEL)
    return `${list.length === 1 ? 'One audience' : `${list.length} audiences`}: the app's "Asset Audiences", the back ends of the device. Each must find itself in "aud" and reject the token otherwise.`;
  if (list.length === 1)
    return 'One audience: the consumer key of the app the token was issued to. The app\'s ID token setting "ID Token Audiences" adds more (the services that accept this ID token).';
  const azp = claims['azp'];
  const client = typeof azp === 'string' && list.includes(azp) ? azp : null;
  const first = client
    ? `"azp" names the consumer key of the app the token was issued to (${client})`
    : 'one of them is the consumer key of the app the token was issued to';
  return `${list.length} audiences: ${first}; the others come from the app's ID token setting "ID Token Audiences". Each service must find itself in "aud"; with several audiences, a client checks that "azp" is its own consumer key.`;
}

/** Adds to an ID token's or asset token's rows what their `exp` and `aud` say about the app's settings. */
export function addSettingNotes(label: string, claims: Record<string, unknown>, rows: ClaimRow[]): void {
  if (label !== ID_TOKEN_LABEL && label !== ASSET_TOKEN_LABEL) return;
  const notes: Record<string, string | null> = {
    exp: validityNote(label, claims),
    aud: audienceNote(label, claims),
  };
  for (const row of rows) {
    const note = Object.hasOwn(notes, row.name) ? notes[row.name] : null;
    if (note) row.note = note;
  }
}
