// POST /v1/embeddings (and /api/v0/embeddings): deterministic unit vectors, in the shape of LM Studio's
// documented example (§1.9), including its zero usage counts.
import { readJsonBody, sendError, sendJson } from '../http-io.js';
import { invalidRequest } from '../lmstudio-errors.js';
import type { RequestContext } from '../simulator-context.js';
import { embedText } from '../text-generator.js';
import { useModel } from './model-use.js';

/** nomic-embed-text-v1.5's width, the embedding model LM Studio ships with. */
export const EMBEDDING_DIMENSIONS = 768;

export async function embeddings(ctx: RequestContext): Promise<void> {
  const { res } = ctx;
  const body = await readJsonBody(ctx.req);
  if (!body.ok) return sendError(res, body.error);
  const { model, input } = body.value;
  const inputs = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((x) => typeof x === 'string'))
    return sendError(
      res,
      invalidRequest("'input' must be a string or a non-empty array of strings", 'input'),
    );
  if (model !== undefined && typeof model !== 'string')
    return sendError(res, invalidRequest("'model' must be a string", 'model'));
  const use = await useModel(
    ctx,
    model === '' ? undefined : (model as string | undefined),
    'embedding',
    undefined,
  );
  if (!use.ok) return sendError(res, use.error);
  try {
    sendJson(res, 200, {
      object: 'list',
      data: (inputs as string[]).map((text, index) => ({
        object: 'embedding',
        embedding: embedText(text, EMBEDDING_DIMENSIONS),
        index,
      })),
      model: use.instance.id,
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  } finally {
    use.done();
  }
}
