// Which handler answers a method and path. Anything else gets LM Studio's answer to an unknown route:
// HTTP 200 with `{"error":"Unexpected endpoint or method. (METHOD /path)"}`.
import { sendError, sendJson } from '../http-io.js';
import { unexpectedEndpoint } from '../lmstudio-errors.js';
import type { RouteHandler } from '../simulator-context.js';
import { chatCompletions } from './chat-route.js';
import { embeddings } from './embeddings-route.js';
import { loadModel, unloadModel } from './load-routes.js';
import { getV0Model, listOpenAiModels, listV0Models, listV1Models, V0_MODEL_PREFIX } from './model-routes.js';

/** The discovery probe the SDK uses: status 200 and `lmstudio: true`. */
export const GREETING_PATH = '/lmstudio-greeting';

const greeting: RouteHandler = ({ res }) => sendJson(res, 200, { lmstudio: true });

const ROUTES: Record<string, RouteHandler> = {
  [`GET ${GREETING_PATH}`]: greeting,
  'GET /v1/models': listOpenAiModels,
  'GET /api/v0/models': listV0Models,
  'GET /api/v1/models': listV1Models,
  'POST /api/v1/models/load': loadModel,
  'POST /api/v1/models/unload': unloadModel,
  'POST /v1/chat/completions': chatCompletions(false),
  'POST /api/v0/chat/completions': chatCompletions(true),
  'POST /v1/embeddings': embeddings,
  'POST /api/v0/embeddings': embeddings,
};

const unknownRoute: RouteHandler = ({ req, res, path }) =>
  sendError(res, unexpectedEndpoint(req.method ?? 'GET', path));

export function routeFor(method: string, path: string): RouteHandler {
  const exact = ROUTES[`${method} ${path}`];
  if (exact) return exact;
  if (method === 'GET' && path.startsWith(V0_MODEL_PREFIX) && path.length > V0_MODEL_PREFIX.length)
    return getV0Model;
  return unknownRoute;
}
