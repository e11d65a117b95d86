/**
 * Asset tokens (part of the contract, see `preload/contract.ts`): Salesforce's "OAuth 2.0 Asset Token Flow
 * for Securing Connected Devices" exchanges an org's access token and an actor token describing a device for
 * an asset token, a JWT that identifies the device to the device's back end.
 */
import type { SignatureCheck } from './contract-orgs';
import type { JwsInspection } from './contract-inspection';

/**
 * The device the actor token describes, in the claims Salesforce reads from it: `did` (the device's ID),
 * `Name` (the asset token's name) and `Asset` (the Asset record to create and link: its name, serial number,
 * and the account or contact it belongs to). Empty optional fields are left out of the token.
 */
export interface AssetDevice {
  /** `did`: the device's own identifier, such as a UUID or its MAC address. */
  deviceId: string;
  /** `Name`: the name of the asset token, as AssetTokenEvent.Name shows it. */
  tokenName: string;
  /** `Asset.Name`: the name of the Asset record. */
  assetName: string;
  /** `Asset.SerialNumber`. */
  serialNumber: string;
  /** `Asset.AccountId`: the account the Asset belongs to (001…). */
  accountId: string;
  /** `Asset.ContactId`: the contact the Asset belongs to (003…). */
  contactId: string;
  /**
   * Sign the actor token with a new device key (RS256), its public key in the `cnf` claim, so that the back
   * end can ask the device to prove it holds the key; otherwise the actor token is unsigned (`alg: none`).
   */
  sign: boolean;
}

/** What `requestAssetToken` answers: the asset token decoded and checked; the raw token stays in main. */
export interface AssetTokenResult {
  /** The asset token's inspection, without its signature part (as a stored token's). */
  inspection: JwsInspection;
  /** Its signature checked against the org's published keys (`/id/keys` at Salesforce). */
  signature: SignatureCheck;
  /** The actor token's claims as sent, as pretty JSON, and how it was signed. */
  actor: { claims: string; alg: 'none' | 'RS256' };
  /** The token endpoint the request went to. */
  endpoint: string;
  /** The asset token's last characters, to tell it apart. */
  hint: string;
  /** The org's access token was refused and renewed before the asset token was issued. */
  refreshed: boolean;
}
