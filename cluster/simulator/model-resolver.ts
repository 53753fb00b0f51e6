// Which model answers an inference request, as LM Studio decides it (reference §1.7, §1.12). Pure: given the
// requested name and what is loaded, returns an instance to use, a model to JIT-load, or the error to answer.
import type { CatalogModel } from './model-catalog.js';
import { modelNotFound, noModelsLoaded, type LmStudioError, type VersionQuirk } from './lmstudio-errors.js';

export interface ResolvableInstance {
  readonly id: string;
  readonly model: { readonly key: string };
}

export interface ResolveInput<I extends ResolvableInstance> {
  /** The request's `model`; absent or empty when the client sent none. */
  requested: string | undefined;
  /** Loaded instances, in load order. */
  loaded: readonly I[];
  /** The loaded instance for this name (exact instance id, else one of that model key), if any. */
  match: I | undefined;
  /** The downloaded model of this key, if any. */
  downloaded: CatalogModel | undefined;
  jit: boolean;
  version: VersionQuirk;
}

export type Resolution<I> =
  | { kind: 'use'; instance: I; substituted: boolean }
  | { kind: 'load'; model: CatalogModel }
  | { kind: 'error'; error: LmStudioError };

export function resolveModel<I extends ResolvableInstance>(input: ResolveInput<I>): Resolution<I> {
  const { loaded, match, downloaded } = input;
  if (match) return { kind: 'use', instance: match, substituted: false };
  if (input.jit && downloaded) return { kind: 'load', model: downloaded };
  // The quirk: with exactly one model loaded, any other name is served by it with 200; only
  // `response.model` tells (lmstudio-bug-tracker #619, re-observed on 0.4.24).
  const only = loaded.length === 1 ? loaded[0] : undefined;
  if (only) return { kind: 'use', instance: only, substituted: true };
  if (loaded.length === 0) return { kind: 'error', error: noModelsLoaded(input.version) };
  return {
    kind: 'error',
    error: modelNotFound(
      input.requested ?? '',
      loaded.map((i) => i.id),
    ),
  };
}
