// The simulator's option and command-line parsing: every accepted form, and the exact message of each mistake.
import { describe, expect, it } from 'vitest';
import {
  describeModel,
  parseFault,
  parseModelList,
  resolveSimulatorOptions,
} from '../../cluster/simulator/index.js';
import { simOptions, type SimArgs } from '../../scripts/commands/sim.js';

describe('parseFault', () => {
  it('reads every fault form', () => {
    expect(parseFault('down')).toEqual({ kind: 'down' });
    expect(parseFault('slow:250')).toEqual({ kind: 'slow', ms: 250 });
    expect(parseFault('errors:0.25')).toEqual({ kind: 'errors', rate: 0.25 });
    expect(parseFault('errors:1:503')).toEqual({ kind: 'errors', rate: 1, status: 503 });
    expect(parseFault('disconnect:0')).toEqual({ kind: 'disconnect', afterChunks: 0 });
  });

  it.each([
    ['crash', '--fault crash: expected down, slow:MS, errors:RATE[:STATUS] or disconnect:N'],
    ['down:1', '--fault down:1: expected down, slow:MS, errors:RATE[:STATUS] or disconnect:N'],
    ['slow', '--fault slow: expected down, slow:MS, errors:RATE[:STATUS] or disconnect:N'],
    ['slow:-1', '--fault slow:-1: expected an integer from 0 to 600000'],
    ['errors:1.5', '--fault errors:1.5: RATE must be a number from 0 to 1'],
    ['errors:', '--fault errors:: RATE must be a number from 0 to 1'],
    ['errors:0.5:200', '--fault errors:0.5:200: expected an integer from 400 to 599'],
    ['disconnect:two', '--fault disconnect:two: expected an integer from 0 to 1000000'],
  ])('rejects %s', (spec, message) => {
    expect(() => parseFault(spec)).toThrow(message);
  });
});

describe('models', () => {
  it('parses NAME and NAME=GB entries', () => {
    expect(parseModelList('a, b=6,c=0.5')).toEqual([
      { key: 'a' },
      { key: 'b', sizeGb: 6 },
      { key: 'c', sizeGb: 0.5 },
    ]);
    expect(() => parseModelList('a,,b')).toThrow('--models: empty entry in "a,,b"');
    expect(() => parseModelList('a=0')).toThrow(
      '--models: "a=0": expected NAME or NAME=GB, GB a positive number',
    );
    expect(() => parseModelList('a=1=2')).toThrow('--models: "a=1=2": expected NAME or NAME=GB');
  });

  it('guesses type, size and metadata from the key', () => {
    expect(describeModel({ key: 'qwen/qwen3-8b' })).toMatchObject({
      type: 'llm',
      publisher: 'qwen',
      arch: 'qwen3',
      paramsString: '8B',
      sizeBytes: Math.round(4.8 * 2 ** 30),
    });
    expect(describeModel({ key: 'google/gemma-4-e4b' }).paramsString).toBe('4B');
    expect(describeModel({ key: 'mystery' })).toMatchObject({ sizeBytes: 8 * 2 ** 30, paramsString: null });
    expect(describeModel({ key: 'qwen2.5-vl-7b-instruct' }).type).toBe('vlm');
    expect(describeModel({ key: 'text-embedding-nomic-embed-text-v1.5' })).toMatchObject({
      type: 'embeddings',
      toolUse: false,
      maxContextLength: 2048,
    });
    expect(describeModel({ key: 'mlx-community/llama-3.2-3b-mlx' })).toMatchObject({
      format: 'mlx',
      quantization: '4bit',
      paramsString: '3B',
    });
  });
});

describe('resolveSimulatorOptions', () => {
  it('fills in the documented defaults', () => {
    expect(resolveSimulatorOptions()).toMatchObject({
      port: 1234,
      memoryGb: 32,
      parallel: 4,
      jitTtlSeconds: 3600,
      jit: true,
      autoEvict: true,
      apiKey: null,
      versionQuirk: '0.4',
    });
  });

  it.each([
    [{ port: 70000 }, 'port: expected an integer from 0 to 65535, got 70000'],
    [{ memoryGb: 0 }, 'memoryGb: expected a positive number, got 0'],
    [{ parallel: 0 }, 'parallel: expected an integer from 1 to 1024, got 0'],
    [{ jitTtlSeconds: 0.5 }, 'jitTtlSeconds: expected an integer from 1 to 31536000, got 0.5'],
    [{ versionQuirk: '0.5' as '0.4' }, 'versionQuirk: expected "0.3" or "0.4", got "0.5"'],
    [{ apiKey: '' }, 'apiKey: expected a non-empty string or null, got ""'],
  ])('rejects %o', (options, message) => {
    expect(() => resolveSimulatorOptions(options)).toThrow(message);
  });
});

describe('chorus sim command line', () => {
  const args = (over: Partial<SimArgs>): SimArgs => ({
    target: 'lmstudio',
    port: undefined,
    models: undefined,
    memory: undefined,
    loadDelayMs: undefined,
    tokenDelayMs: undefined,
    parallel: undefined,
    ttlSeconds: undefined,
    preload: undefined,
    noJit: false,
    apiKey: undefined,
    versionQuirk: undefined,
    faults: [],
    seed: undefined,
    ...over,
  });

  it('maps flags to simulator options', () => {
    expect(
      simOptions(
        args({
          port: 0,
          models: 'a=2,b',
          memory: '12.5',
          ttlSeconds: 60,
          preload: 'a',
          noJit: true,
          versionQuirk: '0.3',
          faults: ['slow:5', 'errors:0.1'],
        }),
      ),
    ).toEqual({
      port: 0,
      models: [{ key: 'a', sizeGb: 2 }, { key: 'b' }],
      memoryGb: 12.5,
      jitTtlSeconds: 60,
      preload: ['a'],
      jit: false,
      versionQuirk: '0.3',
      faults: [
        { kind: 'slow', ms: 5 },
        { kind: 'errors', rate: 0.1 },
      ],
    });
  });

  it.each([
    [{ target: 'ollama' }, 'unknown target "ollama"; known: lmstudio'],
    [{ memory: 'lots' }, '--memory: expected a positive number of GB, got "lots"'],
    [{ versionQuirk: '0.2' }, '--version-quirk: expected 0.3 or 0.4, got "0.2"'],
    [{ apiKey: '' }, '--api-key: expected a non-empty key'],
  ])('rejects %o', (over, message) => {
    expect(() => simOptions(args(over))).toThrow(message);
  });
});
