// The first steps of every inference request: pick the model (or the quirk's stand-in), JIT-load it if needed
// (the load delay passes before the first byte), count the request as in flight, and wait for a free slot.
import { insufficientResources, openAiError, type LmStudioError } from '../lmstudio-errors.js';
import type { LoadedInstance } from '../model-residency.js';
import { resolveModel } from '../model-resolver.js';
import { ModelLoadRefusedError } from '../simulator-errors.js';
import type { RequestContext } from '../simulator-context.js';

export type ModelUse =
  | {
      ok: true;
      instance: LoadedInstance;
      /** Ends the request's use: frees the slot, restarts the idle timer. */ done: () => void;
    }
  | { ok: false; error: LmStudioError };

export type Purpose = 'chat' | 'embedding';

/** Interpretation: LM Studio's answer for a model of the wrong kind is not captured; an OpenAI-shaped 400. */
function wrongKind(key: string, purpose: Purpose): LmStudioError {
  const message =
    purpose === 'chat'
      ? `Model "${key}" is an embedding model and cannot be used for chat completions.`
      : `Model "${key}" is not an embedding model.`;
  return openAiError(400, message, 'model', null);
}

const fits = (type: string, purpose: Purpose) => (type === 'embeddings') === (purpose === 'embedding');

export async function useModel(
  { sim, signal }: RequestContext,
  requested: string | undefined,
  purpose: Purpose,
  ttlSeconds: number | undefined,
): Promise<ModelUse> {
  const { residency, catalog, options } = sim;
  const name = requested ?? '';
  const resolution = resolveModel({
    requested,
    loaded: residency.loaded(),
    match: name === '' ? undefined : residency.find(name),
    downloaded: catalog.get(name),
    jit: options.jit,
    version: options.versionQuirk,
  });
  if (resolution.kind === 'error') return { ok: false, error: resolution.error };
  let instance: LoadedInstance;
  if (resolution.kind === 'use') instance = resolution.instance;
  else {
    if (!fits(resolution.model.type, purpose))
      return { ok: false, error: wrongKind(resolution.model.key, purpose) };
    try {
      instance = await residency.jitLoad(resolution.model, ttlSeconds);
    } catch (error) {
      if (error instanceof ModelLoadRefusedError)
        return { ok: false, error: insufficientResources(error.model, error.neededBytes) };
      throw error;
    }
  }
  if (!fits(instance.model.type, purpose)) return { ok: false, error: wrongKind(instance.id, purpose) };
  residency.begin(instance);
  try {
    const release = await instance.slots.acquire(signal);
    return {
      ok: true,
      instance,
      done: () => {
        release();
        residency.end(instance);
      },
    };
  } catch (error) {
    residency.end(instance);
    throw error;
  }
}
