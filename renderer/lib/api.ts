import type { Api } from '../../preload/contract';
import { bridge } from './bridge.svelte';

/** The only place the renderer reads `window.api`: every call sends a plain snapshot and never throws. */
export const api: Api = bridge(window.api);
