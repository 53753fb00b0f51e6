// The simulator's downloaded models and what LM Studio would say about each (type, publisher, quantization,
// size). Metadata is guessed from the key, so `--models qwen/qwen3-8b,text-embedding-nomic-embed-text-v1.5`
// looks plausible without a config file.
import { SimulatorConfigError } from './simulator-errors.js';

/** v0 naming (`embeddings`, plural); /api/v1/models says `embedding` and folds `vlm` into `llm`. */
export type ModelType = 'llm' | 'vlm' | 'embeddings';

export interface ModelSpec {
  /** The model key as clients name it, e.g. `qwen/qwen3-8b`. */
  key: string;
  /** Memory the model takes once loaded, in GB (2^30 bytes). Default: guessed from the key, see guessSizeGb. */
  sizeGb?: number;
  /** Default: `embeddings` if the key contains "embed", `vlm` if it names vision, else `llm`. */
  type?: ModelType;
  /** Default: 2048 for embedding models, 32768 otherwise. */
  maxContextLength?: number;
}

export interface CatalogModel {
  readonly key: string;
  readonly type: ModelType;
  readonly publisher: string;
  readonly displayName: string;
  readonly arch: string;
  readonly format: 'gguf' | 'mlx';
  readonly quantization: string;
  readonly bitsPerWeight: number;
  readonly sizeBytes: number;
  readonly paramsString: string | null;
  readonly maxContextLength: number;
  /** v0 `capabilities: ["tool_use"]`; absent on embedding models. */
  readonly toolUse: boolean;
}

export const GIB = 2 ** 30;
/** The seed system's size for a model it knows nothing about. */
export const UNKNOWN_MODEL_SIZE_GB = 8;
const UNKNOWN_EMBEDDING_SIZE_GB = 0.1;
const KEY = /^[^\s,=]+$/;

function baseName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1).toLowerCase();
}

/** Billions of parameters named in the key: `qwen3-8b` → 8, `llama-3.2-3b` → 3, `gemma-4-e4b` → 4. */
export function parameterBillions(key: string): number | undefined {
  const match = /(?:^|[-_])[ae]?(\d+(?:\.\d+)?)b(?=$|[-_@])/.exec(baseName(key));
  return match ? Number(match[1]) : undefined;
}

function guessType(key: string): ModelType {
  const name = baseName(key);
  if (name.includes('embed')) return 'embeddings';
  return /(?:^|[-_])(?:vl|vision|llava)(?:$|[-_])/.test(name) ? 'vlm' : 'llm';
}

/** Parameters × bits per weight, the size of a quantized file; 8 GB (0.1 for embeddings) when no count is named. */
export function guessSizeGb(key: string, bitsPerWeight: number, type: ModelType): number {
  const billions = parameterBillions(key);
  if (billions === undefined)
    return type === 'embeddings' ? UNKNOWN_EMBEDDING_SIZE_GB : UNKNOWN_MODEL_SIZE_GB;
  return Math.max(0.1, Math.round((billions * bitsPerWeight * 10) / 8) / 10);
}

function guessArch(key: string, type: ModelType): string {
  const name = baseName(key);
  if (type === 'embeddings') return name.includes('nomic') ? 'nomic-bert' : 'bert';
  if (name.startsWith('gpt-oss')) return 'gpt-oss';
  return /^[a-z]+\d*/.exec(name)?.[0] ?? 'llama';
}

function displayName(key: string): string {
  return baseName(key)
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => (/^\d+(\.\d+)?b$/.test(w) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}

export function describeModel(spec: ModelSpec): CatalogModel {
  const { key } = spec;
  if (!KEY.test(key))
    throw new SimulatorConfigError(`model key "${key}": expected a name without spaces, commas or "="`);
  const type = spec.type ?? guessType(key);
  const mlx = baseName(key).includes('mlx');
  const bitsPerWeight = mlx ? 4 : 4.8;
  const sizeGb = spec.sizeGb ?? guessSizeGb(key, bitsPerWeight, type);
  if (!Number.isFinite(sizeGb) || sizeGb <= 0)
    throw new SimulatorConfigError(`model "${key}": size must be a positive number of GB, got ${sizeGb}`);
  const maxContextLength = spec.maxContextLength ?? (type === 'embeddings' ? 2048 : 32768);
  if (!Number.isInteger(maxContextLength) || maxContextLength < 1)
    throw new SimulatorConfigError(
      `model "${key}": maxContextLength must be a positive integer, got ${maxContextLength}`,
    );
  const billions = parameterBillions(key);
  return {
    key,
    type,
    publisher: key.includes('/') ? key.slice(0, key.indexOf('/')) : 'lmstudio-community',
    displayName: displayName(key),
    arch: guessArch(key, type),
    format: mlx ? 'mlx' : 'gguf',
    quantization: mlx ? '4bit' : 'Q4_K_M',
    bitsPerWeight,
    sizeBytes: Math.round(sizeGb * GIB),
    paramsString: billions === undefined ? null : `${billions}B`,
    maxContextLength,
    toolUse: type !== 'embeddings',
  };
}

/** Parses `--models a,b=6,c=0.5`: each entry `NAME` or `NAME=GB`. */
export function parseModelList(text: string): ModelSpec[] {
  const entries = text.split(',').map((s) => s.trim());
  if (entries.some((e) => e === '')) throw new SimulatorConfigError(`--models: empty entry in "${text}"`);
  return entries.map((entry) => {
    const [key = '', size, ...extra] = entry.split('=');
    if (size === undefined) return { key };
    const sizeGb = Number(size);
    if (extra.length > 0 || size.trim() === '' || !Number.isFinite(sizeGb) || sizeGb <= 0)
      throw new SimulatorConfigError(`--models: "${entry}": expected NAME or NAME=GB, GB a positive number`);
    return { key, sizeGb };
  });
}

/** The downloaded models, in the order they were given. */
export class ModelCatalog {
  readonly #models = new Map<string, CatalogModel>();

  constructor(specs: readonly (string | ModelSpec)[]) {
    for (const spec of specs) {
      const model = describeModel(typeof spec === 'string' ? { key: spec } : spec);
      if (this.#models.has(model.key)) throw new SimulatorConfigError(`model "${model.key}" is listed twice`);
      this.#models.set(model.key, model);
    }
  }

  get(key: string): CatalogModel | undefined {
    return this.#models.get(key);
  }

  all(): CatalogModel[] {
    return [...this.#models.values()];
  }
}
