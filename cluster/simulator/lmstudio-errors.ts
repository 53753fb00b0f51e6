// The error answers LM Studio gives, as status + JSON body (reference §1.12). Where the reference has no
// capture the shape is our choice, marked "interpretation" with the reason, so a router test never mistakes it
// for a verified fact.

export interface LmStudioError {
  status: number;
  body: unknown;
}

/** Which LM Studio generation's error forms to imitate. */
export type VersionQuirk = '0.3' | '0.4';

/** OpenAI-shaped error body, as the OpenAI-compatible endpoints send it. */
export function openAiError(
  status: number,
  message: string,
  param: string | null,
  code: string | null,
  type = 'invalid_request_error',
): LmStudioError {
  return { status, body: { error: { message, type, param, code } } };
}

/**
 * No model loaded (JIT off, or a model that is not downloaded while nothing is loaded). 0.4.24 answers
 * 400 with `code: null`; 2025 (0.3.x) builds answered 404 with `code: "model_not_found"`, same message.
 */
export function noModelsLoaded(version: VersionQuirk): LmStudioError {
  const message =
    "No models loaded. Please load a model in the developer page or use the 'lms load' command.";
  return version === '0.3'
    ? openAiError(404, message, 'model', 'model_not_found')
    : openAiError(400, message, 'model', null);
}

/** Unknown model while two or more are loaded: 404 with the loaded identifiers listed, one per line. */
export function modelNotFound(requested: string, yourModels: readonly string[]): LmStudioError {
  return openAiError(
    404,
    `Model "${requested}" not found. Please specify a valid model.\n\nYour models:\n\n${yourModels.join('\n')}`,
    'model',
    'model_not_found',
  );
}

/** Unknown path or method: HTTP 200 with a string `error` (LM Studio logs "Returning 200 anyway"). */
export function unexpectedEndpoint(method: string, path: string): LmStudioError {
  return { status: 200, body: { error: `Unexpected endpoint or method. (${method} ${path})` } };
}

/**
 * Auth on and no (or a wrong) token. Body per §1.12; the status is not captured (interpretation: 401, what
 * an HTTP client expects for a missing credential). The wrong-token message is ours.
 */
export function apiTokenRequired(given: boolean): LmStudioError {
  const message = given
    ? 'The provided LM Studio API token is invalid. ' +
      "Please provide a valid token via the 'Authorization: Bearer $LM_API_TOKEN' header."
    : 'An LM Studio API token is required to make requests to this server. ' +
      "Please provide a token via the 'Authorization: Bearer $LM_API_TOKEN' header.";
  return { status: 401, body: { error: { type: 'invalid_request', code: 'invalid_api_key', message } } };
}

/**
 * A load that does not fit in memory. Interpretation: the HTTP shape of a refused load is unverified (§1.6);
 * the message is LM Studio's guardrail text (lmstudio-bug-tracker #1038, #1202) and `model_load_failed` the
 * code a REST load failure carries (#2295). 500, because the request was fine and the host could not serve it.
 */
export function insufficientResources(model: string, neededBytes: number): LmStudioError {
  const gb = (neededBytes / 2 ** 30).toFixed(2);
  return openAiError(
    500,
    `Failed to load model "${model}". Error: Model loading was stopped due to insufficient system resources. ` +
      `Under the current settings, this model requires approximately ${gb} GB of memory, and continuing to ` +
      'load it would likely overload your system and cause it to freeze. If you think this is incorrect, ' +
      'you can adjust the model loading guardrails in settings.',
    'model',
    'model_load_failed',
    'server_error',
  );
}

/** Exact body of LM Studio 0.4.24 for a reasoning_effort it does not accept (§1.8). */
export function invalidReasoningEffort(value: string): LmStudioError {
  return openAiError(
    400,
    `Invalid 'reasoning_effort' value: '${value}'. Supported values: none, minimal, low, medium, high, xhigh.`,
    'reasoning_effort',
    'invalid_value',
  );
}

/** A malformed request (interpretation: LM Studio's exact wording for these is not captured). */
export function invalidRequest(
  message: string,
  param: string | null,
  code: string | null = null,
): LmStudioError {
  return openAiError(400, message, param, code);
}

/** The `errors` fault (interpretation: an OpenAI-shaped server error). */
export function simulatedFailure(status: number): LmStudioError {
  return openAiError(status, 'Internal server error (simulated fault)', null, null, 'server_error');
}

/**
 * /api/v1 errors (load, unload, model lookup). Interpretation: §1.12 shows v1 REST errors with
 * `type: "invalid_request"` and `code: "model_not_found"` (404); the messages here are ours.
 */
export function restModelNotFound(param: 'model' | 'instance_id', name: string): LmStudioError {
  const message =
    param === 'model'
      ? `Invalid model identifier "${name}". Please specify a downloaded model.`
      : `No loaded model instance with identifier "${name}".`;
  return {
    status: 404,
    body: { error: { message, type: 'invalid_request', param, code: 'model_not_found' } },
  };
}

export function restInvalidRequest(message: string, param: string): LmStudioError {
  return { status: 400, body: { error: { message, type: 'invalid_request', param, code: 'invalid_value' } } };
}
