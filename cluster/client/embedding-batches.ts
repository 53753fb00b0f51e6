// Embeddings for many inputs: one `/v1/embeddings` request per batch, in sequence, vectors put back in input
// order by the server's `index` (which counts within its batch).
import type { z } from 'zod';
import type { embeddingsSchema } from './schemas.js';
import type { EmbeddingsResult } from './types.js';

export type EmbeddingsResponse = z.output<typeof embeddingsSchema>;

/** A response that does not match its batch; the client turns the detail into a bad_response error. */
export class EmbeddingMismatch extends Error {}

export async function embedInBatches(
  inputs: readonly string[],
  batchSize: number,
  send: (batch: string[]) => Promise<EmbeddingsResponse>,
): Promise<Omit<EmbeddingsResult, 'model'> & { model: string | undefined }> {
  const embeddings: number[][] = [];
  const usage = { promptTokens: 0, totalTokens: 0 };
  let model: string | undefined;
  for (let start = 0; start < inputs.length; start += batchSize) {
    const batch = inputs.slice(start, start + batchSize);
    const response = await send(batch);
    embeddings.push(...inBatchOrder(response, batch.length, start));
    model ??= response.model;
    usage.promptTokens += response.usage?.prompt_tokens ?? 0;
    usage.totalTokens += response.usage?.total_tokens ?? 0;
  }
  return { model, embeddings, usage };
}

function inBatchOrder(response: EmbeddingsResponse, size: number, offset: number): number[][] {
  if (response.data.length !== size) {
    throw new EmbeddingMismatch(
      `expected ${size} embeddings for inputs ${offset}…, got ${response.data.length}`,
    );
  }
  const vectors: (number[] | undefined)[] = new Array<number[] | undefined>(size);
  for (const item of response.data) {
    if (item.index >= size || vectors[item.index] !== undefined) {
      throw new EmbeddingMismatch(
        `data index ${item.index} is out of range or repeated in a batch of ${size}`,
      );
    }
    vectors[item.index] = item.embedding;
  }
  return vectors as number[][];
}
