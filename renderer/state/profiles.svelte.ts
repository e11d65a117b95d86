import type { Api, AppProfile, AppProfileInput, RegistrationRequest } from '../../preload/contract';
import type { Notices } from './notices.svelte';

/** The app profiles (connected apps, external client apps) sign-ins use. */
export class ProfilesState {
  #profiles = $state<AppProfile[]>([]);
  readonly #api: Pick<Api, 'listAppProfiles' | 'saveAppProfile' | 'registerAppProfile'>;
  readonly #notices: Notices;

  constructor(api: Pick<Api, 'listAppProfiles' | 'saveAppProfile' | 'registerAppProfile'>, notices: Notices) {
    this.#api = api;
    this.#notices = notices;
  }

  get profiles(): AppProfile[] {
    return this.#profiles;
  }

  find(id: string | null): AppProfile | undefined {
    return this.#profiles.find((p) => p.id === id);
  }

  /** Loads the profiles; a failure becomes the notice. */
  async load(): Promise<void> {
    const r = await this.#api.listAppProfiles();
    if (r.ok) this.#profiles = r.value;
    else this.#notices.fail(r.error);
  }

  /** Loads them again after an import may have added some; a failure keeps the list as it was. */
  async reload(): Promise<void> {
    const r = await this.#api.listAppProfiles();
    if (r.ok) this.#profiles = r.value;
  }

  async save(input: AppProfileInput): Promise<AppProfile | null> {
    const r = await this.#api.saveAppProfile(input);
    if (!r.ok) {
      this.#notices.fail(r.error);
      return null;
    }
    this.#profiles = [...this.#profiles.filter((p) => p.id !== r.value.id), r.value];
    return r.value;
  }

  /** Registers a new client (dynamic client registration) and keeps it as an app profile. */
  async register(input: RegistrationRequest): Promise<AppProfile | null> {
    const r = await this.#api.registerAppProfile(input);
    if (!r.ok) {
      this.#notices.fail(r.error);
      return null;
    }
    this.#profiles = [...this.#profiles, r.value];
    this.#notices.show('success', `Registered the app "${r.value.name}"; its secret is stored encrypted.`);
    return r.value;
  }
}
