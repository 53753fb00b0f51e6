// Reads JSON and turns a syntax error into one line with line and column. Node 20's JSON.parse often gives
// no position and quotes the input (which may hold a pasted token), so a small scanner finds the spot instead.

export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    detail: string,
  ) {
    super(`invalid JSON at line ${line}, column ${column}: ${detail}`);
  }
}

class Stop {
  constructor(
    readonly at: number,
    readonly detail: string,
  ) {}
}

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

function describeChar(text: string, at: number): string {
  return at >= text.length ? 'unexpected end of file' : `unexpected '${text[at]}'`;
}

/** Finds where and why `text` is not JSON. Returns undefined if it is valid. */
export function locateJsonError(text: string): { at: number; detail: string } | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i] as string)) i++;
  };
  const expect = (c: string, what: string) => {
    if (text[i] !== c) throw new Stop(i, `${describeChar(text, i)}, expected ${what}`);
    i++;
  };
  const string = () => {
    expect('"', 'a string');
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n') throw new Stop(i, 'unterminated string');
      if (c === '"') return void i++;
      i += c === '\\' ? 2 : 1;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (close === '}') {
          ws();
          if (text[i] !== '"')
            throw new Stop(i, `${describeChar(text, i)}, expected a property name in double quotes`);
          string();
          ws();
          expect(':', "':'");
        }
        value();
        ws();
        if (text[i] === ',') {
          const comma = i++;
          ws();
          if (text[i] === close) throw new Stop(comma, `trailing comma before '${close}'`);
          continue;
        }
        return expect(close, `',' or '${close}'`);
      }
    }
    if (c === '"') return string();
    for (const literal of ['true', 'false', 'null'])
      if (text.startsWith(literal, i)) return void (i += literal.length);
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) return void (i = NUMBER.lastIndex);
    throw new Stop(i, `${describeChar(text, i)}, expected a value`);
  };
  try {
    value();
    ws();
    if (i < text.length) throw new Stop(i, `${describeChar(text, i)} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return { at: error.at, detail: error.detail };
    throw error;
  }
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  return { line: before.split('\n').length, column: position - before.lastIndexOf('\n') };
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const found = locateJsonError(text) ?? { at: text.length, detail: 'not valid JSON' };
    const { line, column } = lineAndColumn(text, found.at);
    throw new JsonSyntaxError(line, column, found.detail);
  }
}
