import type { Api, ApiError } from '../../preload/contract';
import type { ApiConsoleRequest, ApiConsoleResult, CopyAsResult, CopyFormat } from '../../preload/contract-tools';
import type { Notices } from './notices.svelte';

type ConsoleApi = Pick<Api, 'runApiRequest' | 'cancelSignIn'>;
type CopyApi = Pick<Api, 'copyTokenAs'>;

export const SOQL_EXAMPLE = 'SELECT Id, Name FROM Account LIMIT 10';
export const DATA_ROOT = '/services/data/';

/** The console's suggested requests: each a resource of the org's newest API version, or the version list. */
export const SUGGESTIONS = [
  { id: 'versions', label: 'Versions', resource: null },
  { id: 'limits', label: 'Limits', resource: 'limits' },
  { id: 'sobjects', label: 'SObjects', resource: 'sobjects/' },
] as const;
export type Suggestion = (typeof SUGGESTIONS)[number]['id'];

/** Errors after which the org's tokens are not what the list shows (the same rule as the org view's actions). */
const TOKENS_CHANGED = new Set<string>(['sf/session_expired', 'token/revoked', 'oauth/invalid_grant']);

/** The newest version an answer shows: the version list's newest, or the one main sent a query to. */
function versionIn(result: ApiConsoleResult, request: ApiConsoleRequest): string | null {
  if (result.status === 200 && /\/services\/data\/?$/.test(new URL(result.url).pathname)) {
    try {
      const list = JSON.parse(result.body) as { version?: unknown }[];
      const versions = list.map((v) => String(v.version)).filter((v) => /^\d+\.\d+$/.test(v));
      return versions.sort((a, b) => Number(a) - Number(b)).at(-1) ?? null;
    } catch {
      return null;
    }
  }
  if (request.kind !== 'soql') return null;
  return /\/services\/data\/v(\d+\.\d+)\//.exec(new URL(result.url).pathname)?.[1] ?? null;
}

/**
 * One org's API console: the request being written, the one running (cancellable), and the last answer.
 * `onTokensChanged` runs after each answer, since a request may have renewed the token or recorded a refusal.
 */
export class ApiConsoleState {
  path = $state(DATA_ROOT);
  query = $state(SOQL_EXAMPLE);
  #running = $state<{ flowId: string; request: ApiConsoleRequest } | null>(null);
  #result = $state<ApiConsoleResult | null>(null);
  #error = $state<ApiError | null>(null);
  #cancelled = $state(false);
  #version = $state<string | null>(null);
  readonly #api: ConsoleApi;
  readonly #orgId: string;
  readonly #onTokensChanged: () => Promise<void>;

  constructor(api: ConsoleApi, orgId: string, onTokensChanged: () => Promise<void>) {
    this.#api = api;
    this.#orgId = orgId;
    this.#onTokensChanged = onTokensChanged;
  }

  get running(): ApiConsoleRequest | null {
    return this.#running?.request ?? null;
  }
  get result(): ApiConsoleResult | null {
    return this.#result;
  }
  /** Why the last request got no answer at all (a refused path, the network). */
  get error(): ApiError | null {
    return this.#error;
  }
  get cancelled(): boolean {
    return this.#cancelled;
  }
  /** The `nextRecordsUrl` of the last query answer, when there are more records. */
  get nextPage(): string | null {
    const r = this.#result;
    if (!r?.json || r.bodyTruncated) return null;
    try {
      const next = (JSON.parse(r.body) as { nextRecordsUrl?: unknown }).nextRecordsUrl;
      return typeof next === 'string' && next.startsWith(DATA_ROOT) ? next : null;
    } catch {
      return null;
    }
  }

  /** Sends a request; one at a time. Resolves when it ended, whichever way. */
  async run(request: ApiConsoleRequest): Promise<void> {
    if (this.#running) return;
    const flowId = crypto.randomUUID();
    this.#running = { flowId, request };
    this.#error = null;
    this.#cancelled = false;
    try {
      const r = await this.#api.runApiRequest({ id: this.#orgId, request, flowId });
      if (r.ok) {
        this.#result = r.value;
        this.#version = versionIn(r.value, request) ?? this.#version;
        await this.#onTokensChanged();
      } else if (r.error.code === 'oauth/cancelled') {
        this.#cancelled = true;
      } else {
        this.#error = r.error;
        if (TOKENS_CHANGED.has(r.error.code)) await this.#onTokensChanged();
      }
    } finally {
      this.#running = null;
    }
  }

  runPath(): Promise<void> {
    return this.run({ kind: 'rest', path: this.path.trim() || DATA_ROOT });
  }

  runQuery(): Promise<void> {
    return this.run({ kind: 'soql', query: this.query });
  }

  /** Fills in a suggested path and runs it; the org's newest version is asked for first when not known. */
  async suggest(id: Suggestion): Promise<void> {
    const resource = SUGGESTIONS.find((s) => s.id === id)?.resource ?? null;
    if (resource !== null && this.#version === null) {
      await this.run({ kind: 'rest', path: DATA_ROOT });
      if (this.#version === null) return;
    }
    this.path = resource === null ? DATA_ROOT : `${DATA_ROOT}v${this.#version}/${resource}`;
    await this.runPath();
  }

  async cancel(): Promise<void> {
    const flowId = this.#running?.flowId;
    if (flowId) await this.#api.cancelSignIn({ flowId });
  }
}

/** The short name "Copied as …" uses for each format. */
export const COPY_FORMAT_LABEL: Record<CopyFormat, string> = {
  'bearer-header': 'Authorization header',
  curl: 'curl',
  httpie: 'HTTPie',
  'env-posix': 'shell variables',
  'env-powershell': 'PowerShell variables',
};

/** "Copy as": main puts the token on the clipboard in the chosen form; the window keeps only the preview. */
export class CopyAsState {
  #copied = $state<(CopyAsResult & { id: string }) | null>(null);
  readonly #api: CopyApi;
  readonly #notices: Notices;
  readonly #onTokensChanged: () => Promise<void>;

  constructor(api: CopyApi, notices: Notices, onTokensChanged: () => Promise<void>) {
    this.#api = api;
    this.#notices = notices;
    this.#onTokensChanged = onTokensChanged;
  }

  /** What was last copied for the org `id`: the format and the text with the token hidden. */
  copiedFor(id: string): CopyAsResult | null {
    return this.#copied?.id === id ? this.#copied : null;
  }

  async copy(id: string, format: CopyFormat): Promise<void> {
    const r = await this.#api.copyTokenAs({ id, format });
    if (r.ok) {
      this.#copied = { ...r.value, id };
      return;
    }
    this.#copied = null;
    this.#notices.fail(r.error);
    if (TOKENS_CHANGED.has(r.error.code)) await this.#onTokensChanged();
  }
}
