// How each API lists a model: /v1/models (OpenAI), /api/v0/models (REST v0) and /api/v1/models (REST v1),
// field for field as the reference documents and captures them (§1.3–§1.5).
import type { CatalogModel } from '../model-catalog.js';
import type { LoadedInstance, ModelResidency } from '../model-residency.js';

/** `{id, object, owned_by}` only: no type, context length or loaded state (§1.3). */
export function openAiModel(id: string): Record<string, unknown> {
  return { id, object: 'model', owned_by: 'organization_owner' };
}

/** The v0 object; `loaded_context_length` only when loaded, `capabilities` absent on embedding models. */
export function v0Model(model: CatalogModel, instances: readonly LoadedInstance[]): Record<string, unknown> {
  const first = instances[0];
  return {
    id: model.key,
    object: 'model',
    type: model.type,
    publisher: model.publisher,
    arch: model.arch,
    compatibility_type: model.format,
    quantization: model.quantization,
    state: first ? 'loaded' : 'not-loaded',
    max_context_length: model.maxContextLength,
    ...(first && { loaded_context_length: first.contextLength }),
    ...(model.toolUse && { capabilities: ['tool_use'] }),
  };
}

/** The `config` of a loaded instance, also echoed as `load_config` by the load endpoint. */
export function loadConfig(instance: LoadedInstance): Record<string, unknown> {
  if (instance.model.type === 'embeddings') return { context_length: instance.contextLength };
  return {
    context_length: instance.contextLength,
    eval_batch_size: 512,
    parallel: instance.slots.size,
    flash_attention: true,
    offload_kv_cache_to_gpu: true,
  };
}

/** `llm` or `embedding` (singular, unlike v0); vision models are `llm` with `capabilities.vision`. */
export function v1Type(model: CatalogModel): 'llm' | 'embedding' {
  return model.type === 'embeddings' ? 'embedding' : 'llm';
}

/** The v1 object, with the undocumented but observed `remaining_ttl_seconds` on instances that have a TTL. */
export function v1Model(
  model: CatalogModel,
  instances: readonly LoadedInstance[],
  residency: ModelResidency,
): Record<string, unknown> {
  const embedding = model.type === 'embeddings';
  return {
    type: v1Type(model),
    publisher: model.publisher,
    key: model.key,
    display_name: model.displayName,
    ...(!embedding && { architecture: model.arch }),
    quantization: { name: model.quantization, bits_per_weight: model.bitsPerWeight },
    size_bytes: model.sizeBytes,
    params_string: model.paramsString,
    loaded_instances: instances.map((instance) => {
      const remaining = residency.remainingTtlSeconds(instance);
      return {
        id: instance.id,
        config: loadConfig(instance),
        ...(remaining !== null && { remaining_ttl_seconds: remaining }),
      };
    }),
    max_context_length: model.maxContextLength,
    format: model.format,
    ...(!embedding && {
      capabilities: { vision: model.type === 'vlm', trained_for_tool_use: model.toolUse },
    }),
  };
}
