import type { Api } from '../../preload/contract';

/** The only place the renderer reads `window.api`. */
export const api: Api = window.api;
