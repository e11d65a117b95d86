import type { Api, ApiError, JwsInspection, SecretEncoding, SignatureCheck, VerifyKey } from '../../preload/contract';

/** How a pasted token's signature is checked: the issuer's published keys, a pasted public key, a shared secret. */
export type VerifyMode = 'issuer' | 'key' | 'secret';

/** Main gives up on each request after this long (DEFAULT_TIMEOUT_MS in main's bounded fetch). */
export const REQUEST_TIMEOUT_SECONDS = 30;

export interface Verdict {
  tone: 'success' | 'warning' | 'danger' | 'info';
  title: string;
  message: string;
  /** The key that signed it, or that the token names. */
  kid: string | null;
}

type Outcome = { check: SignatureCheck } | { error: ApiError } | { cancelled: true };

const PRIVATE_JWK_MEMBER = /"(d|p|q|dp|dq|qi|oth|priv)"\s*:/;
const PRIVATE_REFUSED: ApiError = {
  code: 'key/invalid',
  message:
    'This is a private key. The app does not take private keys: checking a signature needs only the public key. It was cleared and not sent anywhere; paste the public key or the certificate instead.',
};

const CHECK_TITLE: Record<SignatureCheck['result'], [Verdict['tone'], string]> = {
  valid: ['success', 'Signature valid'],
  'bad-signature': ['danger', 'Bad signature'],
  'unknown-key': ['danger', 'No matching key'],
  expired: ['warning', 'Valid signature, expired token'],
  'not-yet-valid': ['warning', 'Valid signature, not valid yet'],
  'not-a-jwt': ['info', 'Nothing to check'],
  error: ['warning', 'Not confirmed'],
};

function errorTitle(code: ApiError['code']): string {
  if (code === 'key/invalid') return 'Cannot use this key';
  if (code === 'oauth/network') return 'Could not reach the issuer';
  if (code === 'oauth/bad_response' || code === 'oauth/invalid_login_host') return "Could not get the issuer's keys";
  return 'Could not check';
}

/**
 * The ways that can check a token: only a shared secret for HS256/384/512; else the issuer's keys (when the
 * token names an https issuer) and a pasted public key; nothing for an unsigned token.
 */
export function modesFor(inspection: Pick<JwsInspection, 'alg' | 'keySource'>): VerifyMode[] {
  const alg = inspection.alg;
  if (alg === null || alg.toLowerCase() === 'none') return [];
  if (/^HS(256|384|512)$/.test(alg)) return ['secret'];
  return inspection.keySource ? ['issuer', 'key'] : ['key'];
}

/** A private key in PEM or JWK form, which is refused before it leaves this window. */
function looksPrivate(text: string): boolean {
  return /PRIVATE KEY-----/.test(text) || (text.trim().startsWith('{') && PRIVATE_JWK_MEMBER.test(text));
}

/**
 * The "Check signature" panel of a pasted token: the chosen way, the key or secret typed for it (kept here
 * only, never in the app's stored state, and cleared when the token changes), the request under way and its
 * answer. Only the latest check's answer is shown; Cancel stops waiting for it.
 */
export class VerifyState {
  mode = $state<VerifyMode>('key');
  keyText = $state('');
  secret = $state('');
  encoding = $state<SecretEncoding>('utf8');
  showSecret = $state(false);
  #pending = $state<string | null>(null);
  #outcome = $state<Outcome | null>(null);
  #seq = 0;
  #token: string | null = null;
  #flowId: string | null = null;
  readonly #api: Pick<Api, 'verifyPastedToken' | 'cancelSignIn'>;

  constructor(api: Pick<Api, 'verifyPastedToken' | 'cancelSignIn'>) {
    this.#api = api;
  }

  /** What is under way, in words ("Fetching https://…"), or null. */
  get pending(): string | null {
    return this.#pending;
  }

  get canCheck(): boolean {
    if (this.#pending !== null) return false;
    if (this.mode === 'key') return this.keyText.trim() !== '';
    if (this.mode === 'secret') return this.secret !== '';
    return true;
  }

  /** For another token, starts over: its first way, no key, no secret, no answer. */
  reset(token: string, modes: VerifyMode[]): void {
    if (token === this.#token) {
      if (modes.length > 0 && !modes.includes(this.mode)) this.mode = modes[0]!;
      return;
    }
    this.#token = token;
    this.#seq++;
    this.mode = modes[0] ?? 'key';
    this.keyText = '';
    this.secret = '';
    this.encoding = 'utf8';
    this.showSecret = false;
    this.#pending = null;
    this.#outcome = null;
  }

  /** Checks the token the chosen way. */
  async check(token: string, inspection: Pick<JwsInspection, 'keySource'>): Promise<void> {
    if (!this.canCheck) return;
    const key = this.#keyFor(inspection);
    if (key === null) return;
    const seq = ++this.#seq;
    this.#outcome = null;
    this.#pending =
      key.kind === 'issuer'
        ? `Fetching ${key.url}… (each request gives up after ${REQUEST_TIMEOUT_SECONDS} s)`
        : 'Checking the signature…';
    const flowId = crypto.randomUUID();
    this.#flowId = flowId;
    try {
      const result = await this.#api.verifyPastedToken({ token, key, flowId });
      if (seq !== this.#seq) return;
      this.#outcome = result.ok ? { check: result.value } : { error: result.error };
    } finally {
      if (seq === this.#seq) this.#pending = null;
      if (this.#flowId === flowId) this.#flowId = null;
    }
  }

  /** Cancels the check: main aborts the key fetches under way, and the answer is dropped. */
  cancel(): void {
    if (this.#pending === null) return;
    if (this.#flowId) void this.#api.cancelSignIn({ flowId: this.#flowId });
    this.#seq++;
    this.#pending = null;
    this.#outcome = { cancelled: true };
  }

  get verdict(): Verdict | null {
    const outcome = this.#outcome;
    if (outcome === null) return null;
    if ('cancelled' in outcome) {
      return {
        tone: 'info',
        title: 'Stopped waiting',
        message: 'The check was cancelled, and the request to the issuer stopped. Nothing was checked.',
        kid: null,
      };
    }
    if ('error' in outcome) {
      return { tone: 'danger', title: errorTitle(outcome.error.code), message: outcome.error.message, kid: null };
    }
    const [tone, title] = CHECK_TITLE[outcome.check.result];
    return { tone, title, message: outcome.check.message, kid: outcome.check.kid };
  }

  #keyFor(inspection: Pick<JwsInspection, 'keySource'>): VerifyKey | null {
    switch (this.mode) {
      case 'issuer':
        if (inspection.keySource) return { kind: 'issuer', url: inspection.keySource.url };
        this.#outcome = {
          error: {
            code: 'key/invalid',
            message: 'The token names no https issuer, so there are no published keys to fetch. Paste its public key.',
          },
        };
        return null;
      case 'key':
        if (looksPrivate(this.keyText)) {
          this.keyText = '';
          this.#outcome = { error: PRIVATE_REFUSED };
          return null;
        }
        return { kind: 'key', text: this.keyText };
      case 'secret':
        return { kind: 'secret', secret: this.secret, encoding: this.encoding };
    }
  }
}
