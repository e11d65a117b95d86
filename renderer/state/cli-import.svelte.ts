import type { Api, ApiError, CliOrgList } from '../../preload/contract';
import type { Notices } from './notices.svelte';
import type { OrgListState } from './org-list.svelte';
import type { ProfilesState } from './profiles.svelte';

/** The Salesforce CLI import: its org list, and the import of the chosen ones. */
type CliPhase =
  | { step: 'idle' }
  | { step: 'loading'; flowId: string }
  | { step: 'listed'; list: CliOrgList }
  | { step: 'importing'; flowId: string; list: CliOrgList; count: number }
  | { step: 'failed'; error: ApiError };

const newFlowId = () => crypto.randomUUID();

/** Lists the orgs the Salesforce CLI is signed in to and imports the chosen ones with their tokens. */
export class CliImportState {
  #phase = $state<CliPhase>({ step: 'idle' });
  readonly #api: Pick<Api, 'listCliOrgs' | 'importCliOrgs' | 'cancelSignIn'>;
  readonly #notices: Notices;
  readonly #list: OrgListState;
  readonly #profiles: ProfilesState;

  constructor(
    api: Pick<Api, 'listCliOrgs' | 'importCliOrgs' | 'cancelSignIn'>,
    notices: Notices,
    list: OrgListState,
    profiles: ProfilesState,
  ) {
    this.#api = api;
    this.#notices = notices;
    this.#list = list;
    this.#profiles = profiles;
  }

  get phase(): CliPhase {
    return this.#phase;
  }

  /** Asks the Salesforce CLI for its orgs. */
  async load(): Promise<void> {
    const flowId = newFlowId();
    this.#phase = { step: 'loading', flowId };
    const r = await this.#api.listCliOrgs({ flowId });
    if (this.#phase.step !== 'loading' || this.#phase.flowId !== flowId) return;
    this.#phase = r.ok ? { step: 'listed', list: r.value } : failure(r.error);
  }

  /** Imports the chosen CLI orgs; true when at least one arrived. */
  async import(usernames: string[]): Promise<boolean> {
    if (this.#phase.step !== 'listed') return false;
    const list = this.#phase.list;
    const flowId = newFlowId();
    this.#phase = { step: 'importing', flowId, list, count: usernames.length };
    const r = await this.#api.importCliOrgs({ usernames, flowId });
    if (!r.ok) {
      this.#phase = r.error.code === 'oauth/cancelled' ? { step: 'listed', list } : failure(r.error);
      return false;
    }
    for (const org of r.value.imported) this.#list.upsert(org);
    await this.#profiles.reload();
    const first = r.value.imported[0];
    if (first) this.#list.select(first.id);
    const failed = r.value.failed.map((f) => `${f.username}: ${f.message}`).join(' ');
    this.#notices.show(
      r.value.failed.length > 0 ? (first ? 'info' : 'error') : 'success',
      `Imported ${r.value.imported.length} of ${usernames.length} orgs from the Salesforce CLI.${failed ? ` Not imported: ${failed}` : ''}`,
    );
    const listed = await this.#api.listCliOrgs({ flowId: newFlowId() });
    this.#phase = { step: 'listed', list: listed.ok ? listed.value : list };
    return first !== undefined;
  }

  async cancel(): Promise<void> {
    const phase = this.#phase;
    if (phase.step === 'loading' || phase.step === 'importing') await this.#api.cancelSignIn({ flowId: phase.flowId });
    if (phase.step === 'loading') this.#phase = { step: 'idle' };
  }
}

function failure(error: ApiError): CliPhase {
  return error.code === 'oauth/cancelled' ? { step: 'idle' } : { step: 'failed', error };
}
