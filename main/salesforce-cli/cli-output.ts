/**
 * What `sf --json` prints: the JSON envelope of `@salesforce/sf-plugins-core`,
 * `{"status":0,"result":…,"warnings":[…]}` on success, `{"status":1,"name":"…","message":"…","exitCode":1,…}`
 * on failure, found among whatever else the CLI printed and turned into its `result` or a coded error.
 * Everything `sf` prints may hold access tokens, so raw output never reaches a message or a cause.
 */
import { z } from 'zod';
import { AppError } from '../errors';
import { sanitizeServerText } from '../net/server-text';

export const CLI_INSTALL_URL = 'https://developer.salesforce.com/tools/salesforcecli';

/** A text field of a result that may be absent, null or of another type: null then. */
export const optionalText = z.string().nullish().catch(null);

/**
 * An org's instance URL as an origin: orgs signed in with `sf org login access-token` keep the trailing `/`
 * the user typed (`https://acme.my.salesforce.com/`), which would double the slash before every API path.
 */
export const instanceOrigin = (url: string): string => url.trim().replace(/\/+$/, '');

const envelopeSchema = z.object({
  status: z.number(),
  result: z.unknown().optional(),
  name: z.string().optional(),
  message: z.string().optional(),
  actions: z.array(z.unknown()).optional(),
});

/**
 * The JSON envelope's `result` in what `sf` printed (stdout first, then stderr), or the AppError it stands
 * for: `cli/failed` with the CLI's error name, message and first action, anything token-like removed, or
 * `cli/bad_output` when there is no envelope at all.
 */
export function interpret(
  command: string,
  stdout: Buffer,
  stderr: Buffer,
  exitCode: number | null,
  signal: NodeJS.Signals | null,
): unknown {
  const envelope = findEnvelope(stdout.toString('utf8')) ?? findEnvelope(stderr.toString('utf8'));
  if (!envelope) {
    const crashedOn = nodeCrash(stderr.toString('utf8'));
    if (crashedOn) {
      throw new AppError(
        'cli/failed',
        `${command} crashed on Node.js ${crashedOn} before it printed anything: this Salesforce CLI needs a newer Node.js than ${crashedOn}. Update Node.js (or the Node.js that runs sf), or install the CLI with Salesforce's installer from ${CLI_INSTALL_URL}, which brings its own Node.js; then try again.`,
        { cause: new Error(`uncaught exception on Node.js ${crashedOn}; exit code ${exitCode ?? 'none'}`) },
      );
    }
    const how = signal ? `was stopped by ${signal}` : `exited with code ${exitCode ?? 'unknown'}`;
    throw new AppError(
      'cli/bad_output',
      `${command} printed no JSON (it ${how}). This Salesforce CLI may be too old for this app: run "sf update" (or install it again from ${CLI_INSTALL_URL}), then try again.`,
      { cause: new Error(`no JSON envelope; exit code ${exitCode ?? 'none'}, signal ${signal ?? 'none'}`) },
    );
  }
  if (envelope.status === 0) return envelope.result;
  const name = sanitizeServerText(envelope.name ?? 'Error', 80);
  const message = envelope.message ? `: ${sanitizeServerText(envelope.message, 300)}` : '';
  const action = envelope.actions?.find((a): a is string => typeof a === 'string');
  const hint = action ? ` ${sanitizeServerText(action, 200)}` : '';
  throw new AppError('cli/failed', `${command} failed with ${name}${message}${hint}`, {
    cause: new Error(`sf status ${envelope.status}, exit code ${exitCode ?? 'none'}`),
  });
}

/**
 * The Node.js version in the last line Node prints after an uncaught exception (`Node.js v20.20.2`), when
 * that is how the output ends: a CLI whose code needs a newer Node.js dies while loading.
 */
function nodeCrash(stderr: string): string | null {
  return /(?:^|\n)Node\.js (v\d+\.\d+\.\d+)\s*$/.exec(stderr)?.[1] ?? null;
}

/** The `sf` JSON envelope in some output: all of it, or from a line that starts with `{` to the end. */
function findEnvelope(text: string): z.infer<typeof envelopeSchema> | null {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return null;
  const starts = [0];
  for (let i = trimmed.indexOf('\n{'); i !== -1 && starts.length < 20; i = trimmed.indexOf('\n{', i + 1)) {
    starts.push(i + 1);
  }
  for (const start of starts) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed.slice(start));
    } catch {
      continue;
    }
    const envelope = envelopeSchema.safeParse(parsed);
    if (envelope.success) return envelope.data;
  }
  return null;
}

/** `cli/bad_output` for a result that is not what `command` prints, saying what was missing or wrong. */
export function unexpectedShape(command: string, what: string): AppError {
  return new AppError(
    'cli/bad_output',
    `${command} printed JSON of an unexpected shape (${what}). This Salesforce CLI may be too old or too new for this app: run "sf update", then try again.`,
  );
}
