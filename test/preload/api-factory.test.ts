import { describe, expect, it } from 'vitest';
import { createApi } from '../../preload/api-factory';
import { API_METHODS, type ApiMethod, type Result } from '../../preload/contract';

describe('createApi', () => {
  it('every method of the contract invokes its own channel once, with its argument, and returns the answer as is', async () => {
    const calls: [ApiMethod, unknown][] = [];
    const answers = new Map<ApiMethod, Result<unknown>>();
    const api = createApi(async (method, arg) => {
      calls.push([method, arg]);
      const answer: Result<unknown> = { ok: true, value: { method } };
      answers.set(method, answer);
      return answer;
    });
    const callable = api as unknown as Record<ApiMethod, (arg: unknown) => Promise<Result<unknown>>>;
    for (const method of API_METHODS) {
      const arg = { for: method };
      const answer = await callable[method](arg);
      expect(answer).toBe(answers.get(method));
      expect(calls.at(-1)).toEqual([method, arg]);
      expect(calls.at(-1)![1]).toBe(arg);
    }
    expect(calls.map(([m]) => m)).toEqual([...API_METHODS]);
  });

  it('has exactly the contract methods as own properties, and nothing that reaches the transport', () => {
    const invoke = async () => ({ ok: true as const, value: null });
    const api = createApi(invoke);
    expect(Object.keys(api).sort()).toEqual([...API_METHODS].sort());
    expect(Object.values(api)).not.toContain(invoke);
    expect(Object.getPrototypeOf(api)).toBe(Object.prototype);
  });

  it('passes a failure of the transport through as a rejected promise, not a made-up answer', async () => {
    const api = createApi(() => Promise.reject(new Error('channel closed')));
    await expect(api.getAppInfo()).rejects.toThrow('channel closed');
  });
});
