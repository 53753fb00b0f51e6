// POST /api/v1/models/load and /api/v1/models/unload (LM Studio 0.4.0+, reference §1.6). Loads made here
// are explicit: no TTL, never auto-evicted. `ttl` and `parallel` are not fields of this endpoint and are ignored.
import { readJsonBody, sendError, sendJson } from '../http-io.js';
import { insufficientResources, restInvalidRequest, restModelNotFound } from '../lmstudio-errors.js';
import { ModelLoadRefusedError } from '../simulator-errors.js';
import type { RequestContext } from '../simulator-context.js';
import { loadConfig, v1Type } from './model-views.js';

export async function loadModel({ req, res, sim }: RequestContext): Promise<void> {
  const body = await readJsonBody(req);
  if (!body.ok) return sendError(res, body.error);
  const { model: key, context_length: contextLength, echo_load_config: echo } = body.value;
  if (typeof key !== 'string' || key === '')
    return sendError(res, restInvalidRequest("'model' is required and must be a string", 'model'));
  const model = sim.catalog.get(key);
  if (!model) return sendError(res, restModelNotFound('model', key));
  if (
    contextLength !== undefined &&
    !(
      Number.isInteger(contextLength) &&
      (contextLength as number) >= 1 &&
      (contextLength as number) <= model.maxContextLength
    )
  )
    return sendError(
      res,
      restInvalidRequest(
        `'context_length' must be an integer from 1 to ${model.maxContextLength}`,
        'context_length',
      ),
    );
  const started = performance.now();
  try {
    const instance = await sim.residency.load(model, {
      jit: false,
      contextLength: contextLength as number | undefined,
    });
    sendJson(res, 200, {
      type: v1Type(model),
      instance_id: instance.id,
      load_time_seconds: Math.round(performance.now() - started) / 1000,
      status: 'loaded',
      ...(echo === true && { load_config: loadConfig(instance) }),
    });
  } catch (error) {
    if (!(error instanceof ModelLoadRefusedError)) throw error;
    sendError(res, insufficientResources(model.key, error.neededBytes));
  }
}

export async function unloadModel({ req, res, sim }: RequestContext): Promise<void> {
  const body = await readJsonBody(req);
  if (!body.ok) return sendError(res, body.error);
  const id = body.value.instance_id;
  if (typeof id !== 'string' || id === '')
    return sendError(
      res,
      restInvalidRequest("'instance_id' is required and must be a string", 'instance_id'),
    );
  if (!sim.residency.unload(id)) return sendError(res, restModelNotFound('instance_id', id));
  sendJson(res, 200, { instance_id: id });
}
