import type { Api } from '../preload/contract';

declare global {
  interface Window {
    /** Built by the preload factory; read only through `lib/api.ts`. */
    readonly api: Api;
  }
}

export {};
