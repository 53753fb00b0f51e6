// What happens to every request before its route: the slow and errors faults, TTLs applied, the API token
// checked (when auth is on), then the route's handler.
import { sendError } from './http-io.js';
import { apiTokenRequired, simulatedFailure } from './lmstudio-errors.js';
import { GREETING_PATH, routeFor } from './routes/route-table.js';
import type { RequestContext } from './simulator-context.js';

export async function serveRequest(ctx: RequestContext): Promise<void> {
  const { faults, residency, options } = ctx.sim;
  const { slowMs } = faults.snapshot();
  if (slowMs > 0) await options.sleep(slowMs, ctx.signal);
  const failWith = faults.rollError();
  if (failWith !== undefined) return sendError(ctx.res, simulatedFailure(failWith));
  residency.sweep();
  // The greeting stays open: it is how clients discover the server before they have a token.
  if (options.apiKey !== null && ctx.path !== GREETING_PATH) {
    const header = ctx.req.headers.authorization;
    const token = header?.match(/^Bearer\s+(.+)$/i)?.[1];
    if (token !== options.apiKey) return sendError(ctx.res, apiTokenRequired(header !== undefined));
  }
  await routeFor(ctx.req.method ?? 'GET', ctx.path)(ctx);
}
