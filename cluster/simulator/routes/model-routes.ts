// GET routes that list models: /v1/models, /api/v0/models, /api/v0/models/{model} and /api/v1/models.
import { sendError, sendJson } from '../http-io.js';
import { openAiError } from '../lmstudio-errors.js';
import type { LoadedInstance } from '../model-residency.js';
import type { RequestContext, SimulatorContext } from '../simulator-context.js';
import { openAiModel, v0Model, v1Model } from './model-views.js';

function loadedOf(sim: SimulatorContext, key: string): LoadedInstance[] {
  return sim.residency.loaded().filter((i) => i.model.key === key);
}

/** JIT on: every downloaded model (plus extra instances such as `key:2`); JIT off: only what is loaded. */
export function listOpenAiModels({ res, sim }: RequestContext): void {
  const loaded = sim.residency.loaded();
  const ids = sim.options.jit
    ? [...sim.catalog.all().map((m) => m.key), ...loaded.filter((i) => i.id !== i.model.key).map((i) => i.id)]
    : loaded.map((i) => i.id);
  sendJson(res, 200, { data: ids.map(openAiModel), object: 'list' });
}

/** Real key order: `data` first, `object` last. */
export function listV0Models({ res, sim }: RequestContext): void {
  const data = sim.catalog.all().map((m) => v0Model(m, loadedOf(sim, m.key)));
  sendJson(res, 200, { data, object: 'list' });
}

export const V0_MODEL_PREFIX = '/api/v0/models/';

/**
 * The bare v0 object of one model; keys with a publisher contain a slash, so the rest of the path is the key.
 * Interpretation: the unknown-model answer is not captured; an OpenAI-shaped 404 `model_not_found`.
 */
export function getV0Model({ res, sim, path }: RequestContext): void {
  let key: string;
  try {
    key = decodeURIComponent(path.slice(V0_MODEL_PREFIX.length));
  } catch {
    key = path.slice(V0_MODEL_PREFIX.length);
  }
  const model = sim.catalog.get(key);
  if (!model) return sendError(res, openAiError(404, `Model "${key}" not found`, 'model', 'model_not_found'));
  sendJson(res, 200, v0Model(model, loadedOf(sim, key)));
}

export function listV1Models({ res, sim }: RequestContext): void {
  const models = sim.catalog.all().map((m) => v1Model(m, loadedOf(sim, m.key), sim.residency));
  sendJson(res, 200, { models });
}
