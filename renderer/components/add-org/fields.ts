import type { Component } from 'svelte';
import type { OwnFields } from '../../lib/sign-in-methods';
import type { MethodFields } from '../../state/add-org.svelte';
import AuthUrl from './fields/AuthUrl.svelte';
import PastedToken from './fields/PastedToken.svelte';
import SubjectToken from './fields/SubjectToken.svelte';
import UsernameAudience from './fields/UsernameAudience.svelte';
import UsernamePassword from './fields/UsernamePassword.svelte';

export interface FieldProps {
  fields: MethodFields;
  /** The org being re-authenticated, if any. */
  reauth: { label: string } | null;
}

/** The component for each method's own inputs, as its descriptor names them (`lib/sign-in-methods.ts`). */
export const FIELDS: Record<OwnFields, Component<FieldProps>> = {
  'username-password': UsernamePassword,
  'username-audience': UsernameAudience,
  'subject-token': SubjectToken,
  'pasted-token': PastedToken,
  sfdx_auth_url: AuthUrl,
};
