// What the metrics API and the rollout API share about a request: the query string checked against
// a zod schema (every parameter named once, unknown ones refused, the message naming the parameter)
// and content negotiation. Each API throws its own error class, so the caller says how to fail.
import type { z } from 'zod';

export function parseQueryParams<S extends z.ZodType>(params: URLSearchParams, schema: S, fail: (message: string) => Error): z.output<S> {
  const raw: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in raw) throw fail(`query parameter ${name} is given more than once`);
    raw[name] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || (issue && 'keys' in issue ? issue.keys.join(', ') : 'query');
    throw fail(`query parameter ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Whether the caller asked for CSV (`Accept: text/csv`, anywhere in the list). */
export function wantsCsv(accept: string | null): boolean {
  return (accept ?? '').split(',').some((part) => part.trim().toLowerCase().startsWith('text/csv'));
}
