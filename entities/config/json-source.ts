// Reads a JSON file and turns a syntax error into a message with line and column.

export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    detail: string,
  ) {
    super(`invalid JSON at line ${line}, column ${column}: ${detail}`);
  }
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return { line, column };
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /at position (\d+)/.exec(message);
    const position = at ? Number(at[1]) : text.length;
    const { line, column } = lineAndColumn(text, position);
    // V8 repeats a slice of the input in its message; keep only the first sentence.
    const detail = message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*$/s, '');
    throw new JsonSyntaxError(line, column, detail);
  }
}
