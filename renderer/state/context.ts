import { getContext, setContext } from 'svelte';
import type { Api } from '../../preload/contract';
import { CliImportState } from './cli-import.svelte';
import { FleetState } from './fleet.svelte';
import { Notices } from './notices.svelte';
import { NotificationHistoryState } from './notification-history.svelte';
import { OrgDetailState } from './org-detail.svelte';
import { OrgHistoryState } from './org-history.svelte';
import { OrgListState } from './org-list.svelte';
import { ProfilesState } from './profiles.svelte';
import { SignInState } from './sign-in.svelte';

/** The renderer's shared state, one of each, by the name components ask for it with. */
interface AppState {
  notices: Notices;
  profiles: ProfilesState;
  orgList: OrgListState;
  orgDetail: OrgDetailState;
  orgHistory: OrgHistoryState;
  signIn: SignInState;
  cliImport: CliImportState;
  notificationHistory: NotificationHistoryState;
  fleet: FleetState;
}

type Name = keyof AppState;

const KEYS: { [N in Name]: symbol } = {
  notices: Symbol('notices'),
  profiles: Symbol('profiles'),
  orgList: Symbol('orgList'),
  orgDetail: Symbol('orgDetail'),
  orgHistory: Symbol('orgHistory'),
  signIn: Symbol('signIn'),
  cliImport: Symbol('cliImport'),
  notificationHistory: Symbol('notificationHistory'),
  fleet: Symbol('fleet'),
};

/** Makes the state and gives it to every component below the caller (App.svelte, once). */
export function provideAppState(api: Api, clock: { readonly now: number }): AppState {
  const notices = new Notices();
  const profiles = new ProfilesState(api, notices);
  const orgList = new OrgListState(api, notices, profiles, clock);
  const signIn = new SignInState(api, notices, orgList, profiles);
  const state: AppState = {
    notices,
    profiles,
    orgList,
    orgDetail: new OrgDetailState(api, notices, orgList),
    orgHistory: new OrgHistoryState(api, notices),
    signIn,
    cliImport: new CliImportState(api, notices, orgList, profiles),
    notificationHistory: new NotificationHistoryState(api, notices),
    fleet: new FleetState(api, notices, orgList, signIn),
  };
  for (const name of Object.keys(KEYS) as Name[]) setContext(KEYS[name], state[name]);
  return state;
}

/** One part of the state, as App.svelte provided it. */
export function useAppState<N extends Name>(name: N): AppState[N] {
  const value = getContext<AppState[N] | undefined>(KEYS[name]);
  if (value === undefined) throw new Error(`No ${name} state here: App.svelte provides it to its components.`);
  return value;
}
