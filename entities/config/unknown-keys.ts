// Finds keys in the raw config that the schema does not know, so each can be warned about once
// (a config of the seed system carries keys Chorus does not use; they must not be fatal).
import { z } from 'zod';

export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out || '(root)';
}

function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault) current = current._def.innerType as z.ZodTypeAny;
    else if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap();
    else if (current instanceof z.ZodEffects) current = current.innerType();
    else return current;
  }
}

export function findUnknownKeys(
  schema: z.ZodTypeAny,
  value: unknown,
  path: (string | number)[] = [],
): string[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject && value && typeof value === 'object' && !Array.isArray(value)) {
    const shape = inner.shape as Record<string, z.ZodTypeAny>;
    const found: string[] = [];
    for (const [key, child] of Object.entries(value)) {
      const childSchema = shape[key];
      if (childSchema) found.push(...findUnknownKeys(childSchema, child, [...path, key]));
      else found.push(formatPath([...path, key]));
    }
    return found;
  }
  if (inner instanceof z.ZodArray && Array.isArray(value)) {
    return value.flatMap((item, i) => findUnknownKeys(inner.element as z.ZodTypeAny, item, [...path, i]));
  }
  if (inner instanceof z.ZodRecord && value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      findUnknownKeys(inner.valueSchema as z.ZodTypeAny, item, [...path, key]),
    );
  }
  return [];
}
