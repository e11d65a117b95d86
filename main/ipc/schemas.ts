import { z } from 'zod';
import type { ApiArgument, ApiMethod } from '../../preload/contract';

/**
 * Run-time validation of every bridge argument (SECURITY.md item 15). The mapped type makes the
 * compiler fail when a schema and the contract disagree, or when a method has no schema.
 */
export type ArgumentSchemas = { [M in ApiMethod]: z.ZodType<ApiArgument<M>> };

const MAX_TOKEN_CHARS = 1_000_000;

export const argumentSchemas: ArgumentSchemas = {
  getAppInfo: z.undefined(),
  inspectToken: z.strictObject({ token: z.string().max(MAX_TOKEN_CHARS + 1000) }),
};
