/**
 * The export file: orgs and app profiles without any secret or token. `decodeExport` is the codec for files
 * the user picks, so it trusts nothing: every entry is checked, every id must be a {@link SAFE_ID}, and
 * what does not pass is reported, never thrown (only a file that is not an export at all is `import/invalid`).
 * {@link importExport} adds what passed, without changing anything already there.
 */
import { z } from 'zod';
import type { ImportReport } from '../../preload/contract';
import { AppError } from '../errors';
import { appProfileRecordSchema, orgRecordSchema, SAFE_ID, type AppProfileRecord, type OrgRecord } from './records';

export const EXPORT_FORMAT = 'sf-token-inspector-export';
/** Far above any real export (a thousand orgs are ~1 MB); a bigger file is refused before it is parsed. */
export const MAX_IMPORT_CHARS = 20 * 1024 * 1024;

export type ExportedProfile = Omit<AppProfileRecord, 'hasSecret' | 'hasPrivateKey'>;
export type ExportedOrg = Omit<OrgRecord, 'needsSignIn'>;

/** One entry of the file, in file order (profiles first): a checked record, or why it was skipped. */
export type DecodedEntry =
  | { index: number; kind: 'profile'; profile: ExportedProfile }
  | { index: number; kind: 'org'; org: ExportedOrg }
  | { index: number; kind: 'skip'; reason: string };

const idSchema = z.string().regex(SAFE_ID, 'its id has characters that are not allowed');
const profileEntry = appProfileRecordSchema.omit({ hasSecret: true, hasPrivateKey: true }).extend({ id: idSchema });
const orgEntry = orgRecordSchema.omit({ needsSignIn: true }).extend({
  id: idSchema,
  // An id of another entry: anything that could not be one is dropped (the org then has no app profile).
  profileId: z
    .unknown()
    .transform((v) => (typeof v === 'string' && SAFE_ID.test(v) ? v : null))
    .pipe(z.string().nullable()),
});
const topSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  orgs: z.array(z.unknown()),
  profiles: z.array(z.unknown()),
});

export function encodeExport(orgs: Iterable<OrgRecord>, profiles: Iterable<AppProfileRecord>, now: number): string {
  return JSON.stringify(
    {
      format: EXPORT_FORMAT,
      version: 1,
      exportedAt: new Date(now).toISOString(),
      orgs: [...orgs].map(({ needsSignIn: _n, ...rest }) => rest),
      profiles: [...profiles].map(({ hasSecret: _h, hasPrivateKey: _k, ...rest }) => rest),
    },
    null,
    2,
  );
}

/** Where an import adds the entries it takes, and what is already there. */
export interface ImportTarget {
  hasProfile(id: string): boolean;
  hasOrg(id: string): boolean;
  addProfile(profile: ExportedProfile): Promise<unknown>;
  addOrg(org: OrgRecord): Promise<unknown>;
}

/**
 * Adds the valid orgs and profiles of an export, in file order; every skipped entry is reported with its
 * reason. Never changes what is already there: an entry whose id is taken is skipped. An imported org has
 * no tokens, so it needs sign-in, and keeps its app profile only when that profile is there.
 */
export async function importExport(json: string, target: ImportTarget): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, skipped: [] };
  for (const entry of decodeExport(json)) {
    const { index } = entry;
    if (entry.kind === 'skip') report.skipped.push({ index, reason: entry.reason });
    else if (entry.kind === 'profile') {
      if (target.hasProfile(entry.profile.id))
        report.skipped.push({ index, reason: `App profile "${entry.profile.name}" is already in the app.` });
      else {
        await target.addProfile(entry.profile);
        report.imported++;
      }
    } else if (target.hasOrg(entry.org.id)) {
      report.skipped.push({ index, reason: `Org "${entry.org.label}" is already in the list.` });
    } else {
      const { profileId } = entry.org;
      const known = profileId !== null && target.hasProfile(profileId) ? profileId : null;
      await target.addOrg({ ...entry.org, profileId: known, needsSignIn: true });
      report.imported++;
    }
  }
  return report;
}

/** Checks an export file; `import/invalid` when it is not one at all. */
function decodeExport(json: unknown): DecodedEntry[] {
  if (typeof json !== 'string' || json.length > MAX_IMPORT_CHARS) {
    throw new AppError(
      'import/invalid',
      'This file is too large to be an SF Token Inspector export. Choose a file exported by the app.',
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    throw new AppError('import/invalid', 'This file is not JSON. Choose a file exported by SF Token Inspector.');
  }
  const top = topSchema.safeParse(doc);
  if (!top.success)
    throw new AppError(
      'import/invalid',
      'This file is not an SF Token Inspector export (format or version is missing or unknown).',
    );
  const entries: DecodedEntry[] = [];
  const { profiles, orgs } = top.data;
  profiles.forEach((raw, index) => {
    const r = profileEntry.safeParse(raw);
    entries.push(
      r.success
        ? { index, kind: 'profile', profile: r.data }
        : { index, kind: 'skip', reason: `App profile ${index + 1}: ${describe(r.error)}` },
    );
  });
  orgs.forEach((raw, i) => {
    const index = profiles.length + i;
    const r = orgEntry.safeParse(raw);
    if (r.success) entries.push({ index, kind: 'org', org: r.data });
    else {
      const label = labelOf(raw);
      entries.push({
        index,
        kind: 'skip',
        reason: label ? `Org "${label}": ${describe(r.error)}` : `Org ${i + 1}: ${describe(r.error)}`,
      });
    }
  });
  return entries;
}

/** The entry's label when it has a usable one, to name it in the report. */
function labelOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || !Object.hasOwn(raw, 'label')) return null;
  const label = (raw as { label: unknown }).label;
  return typeof label === 'string' && label.length > 0 && label.length <= 200 ? label : null;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.map(String).join('.') || 'entry';
  return issue.path[0] === 'id' && issue.code === 'invalid_format' ? issue.message : `${where}: ${issue.message}`;
}
