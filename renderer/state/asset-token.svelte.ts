import type { Api, ApiError, AssetDevice, AssetTokenResult } from '../../preload/contract';

type AssetApi = Pick<Api, 'requestAssetToken' | 'copyAssetToken' | 'cancelSignIn'>;

/** Errors after which the org's tokens are not what the list shows (a refusal noted, a renewal). */
const TOKENS_CHANGED = new Set<string>(['sf/session_expired', 'token/revoked']);

/** A new device's fields: a fresh device ID, a name saying what it is for, signed with a device key. */
export function newDevice(): AssetDevice {
  return {
    deviceId: crypto.randomUUID(),
    tokenName: 'Test device',
    assetName: 'Test device',
    serialNumber: '',
    accountId: '',
    contactId: '',
    sign: true,
  };
}

/**
 * One org's asset token request: the device's fields, the request running (cancellable), and the last answer.
 * The raw asset token stays in main; `copy` asks main to put it on the clipboard.
 */
export class AssetTokenState {
  device = $state<AssetDevice>(newDevice());
  #running = $state<string | null>(null);
  #result = $state<AssetTokenResult | null>(null);
  #error = $state<ApiError | null>(null);
  #cancelled = $state(false);
  #copied = $state<string | null>(null);
  readonly #api: AssetApi;
  readonly #orgId: string;
  readonly #onTokensChanged: () => Promise<void>;

  constructor(api: AssetApi, orgId: string, onTokensChanged: () => Promise<void>) {
    this.#api = api;
    this.#orgId = orgId;
    this.#onTokensChanged = onTokensChanged;
  }

  get running(): boolean {
    return this.#running !== null;
  }
  get result(): AssetTokenResult | null {
    return this.#result;
  }
  get error(): ApiError | null {
    return this.#error;
  }
  get cancelled(): boolean {
    return this.#cancelled;
  }
  /** What Copy said: copied (with the token's last characters), or why not. */
  get copied(): string | null {
    return this.#copied;
  }

  /** Sends the request; one at a time. Resolves when it ended, whichever way. */
  async request(): Promise<void> {
    if (this.#running) return;
    const flowId = crypto.randomUUID();
    this.#running = flowId;
    this.#error = null;
    this.#cancelled = false;
    this.#copied = null;
    try {
      const r = await this.#api.requestAssetToken({ id: this.#orgId, device: this.device, flowId });
      if (r.ok) {
        this.#result = r.value;
        if (r.value.refreshed) await this.#onTokensChanged();
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

  async cancel(): Promise<void> {
    if (this.#running) await this.#api.cancelSignIn({ flowId: this.#running });
  }

  async copy(): Promise<void> {
    const hint = this.#result?.hint;
    const r = await this.#api.copyAssetToken({ id: this.#orgId });
    this.#copied = r.ok ? `Copied the asset token (…${hint ?? ''}).` : r.error.message;
  }

  /** A new device: fresh fields, the answer cleared. */
  reset(): void {
    this.device = newDevice();
    this.#result = null;
    this.#error = null;
    this.#cancelled = false;
    this.#copied = null;
  }
}
