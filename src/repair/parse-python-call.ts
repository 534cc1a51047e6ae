// Parses Python-call syntax as models write it for tool calls: `write_file(path="a.ts",
// content="""...""")`, a list of calls `[f(a=1), g(b=2)]` (Llama 3.2, Gemma 3), dotted names
// (`brave_search.call(...)`, `default_api.f(...)`), a `print(...)` wrapper (Gemma's tool_code).
// Only literals are accepted as values (strings of every quoting, numbers, True/False/None, lists,
// tuples, dicts): anything else (a variable, an expression, a nested call) means this is code,
// not a call, and the parse fails.

export interface PythonCall {
  /** as written, dots kept (`brave_search.call`) */
  name: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
}

class Fail extends Error {}

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*/y;

/** Every call in `text` when the whole text is calls (one per line, `;`, or a list), else null. */
export function parsePythonCalls(text: string): PythonCall[] | null {
  const p = new Parser(text);
  try {
    const calls: PythonCall[] = [];
    p.ws();
    const list = p.eat('[');
    for (;;) {
      p.ws();
      if (p.done() || (list && p.peek() === ']')) break;
      calls.push(p.call());
      p.ws();
      if (!p.eat(',') && !p.eat(';') && !list) continue;
    }
    if (list && !p.eat(']')) return null;
    p.ws();
    return p.done() && calls.length > 0 ? calls : null;
  } catch (e) {
    if (e instanceof Fail) return null;
    throw e;
  }
}

class Parser {
  readonly s: string;
  i = 0;
  constructor(s: string) {
    this.s = s;
  }
  done(): boolean {
    return this.i >= this.s.length;
  }
  peek(): string {
    return this.s[this.i] ?? '';
  }
  ws(): void {
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === '#') while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
      else if (/\s/.test(c)) this.i++;
      else break;
    }
  }
  eat(t: string): boolean {
    if (!this.s.startsWith(t, this.i)) return false;
    this.i += t.length;
    return true;
  }
  expect(t: string): void {
    if (!this.eat(t)) throw new Fail();
  }
  ident(): string {
    IDENT.lastIndex = this.i;
    const m = IDENT.exec(this.s);
    if (!m) throw new Fail();
    this.i += m[0].length;
    return m[0];
  }

  call(): PythonCall {
    const name = this.ident();
    this.ws();
    this.expect('(');
    if (name === 'print') {
      this.ws();
      const inner = this.call();
      this.ws();
      this.expect(')');
      return inner;
    }
    const out: PythonCall = { name, args: [], kwargs: {} };
    for (;;) {
      this.ws();
      if (this.eat(')')) return out;
      const save = this.i;
      IDENT.lastIndex = this.i;
      const m = IDENT.exec(this.s);
      let keyword: string | undefined;
      if (m && !m[0].includes('.')) {
        this.i += m[0].length;
        this.ws();
        if (this.peek() === '=' && this.s[this.i + 1] !== '=') {
          this.i++;
          keyword = m[0];
        } else this.i = save;
      }
      this.ws();
      const value = this.value();
      if (keyword !== undefined) out.kwargs[keyword] = value;
      else if (Object.keys(out.kwargs).length > 0) throw new Fail();
      else out.args.push(value);
      this.ws();
      if (!this.eat(',') && this.peek() !== ')') throw new Fail();
    }
  }

  value(): unknown {
    this.ws();
    const c = this.peek();
    if (c === '[' || c === '(') return this.sequence(c === '[' ? ']' : ')');
    if (c === '{') return this.dict();
    const prefix = /^[rRuUbBfF]{0,2}(?=['"])/.exec(this.s.slice(this.i, this.i + 3));
    if (prefix) {
      this.i += prefix[0].length;
      return this.string(/r/i.test(prefix[0]));
    }
    const num = /^[-+]?(?:\d[\d_]*\.?[\d_]*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)/.exec(
      this.s.slice(this.i),
    );
    if (num) {
      this.i += num[0].length;
      const n = Number(num[0].replace(/_/g, ''));
      if (!Number.isFinite(n)) throw new Fail();
      return n;
    }
    for (const [word, v] of WORDS) if (this.eatWord(word)) return v;
    throw new Fail();
  }

  eatWord(word: string): boolean {
    if (!this.s.startsWith(word, this.i) || /[A-Za-z0-9_]/.test(this.s[this.i + word.length] ?? ''))
      return false;
    this.i += word.length;
    return true;
  }

  sequence(close: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.ws();
      if (this.eat(close)) return out;
      out.push(this.value());
      this.ws();
      if (!this.eat(',') && this.peek() !== close) throw new Fail();
    }
  }

  dict(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.ws();
      if (this.eat('}')) return out;
      const key = this.value();
      this.ws();
      this.expect(':');
      const v = this.value();
      out[typeof key === 'string' ? key : JSON.stringify(key)] = v;
      this.ws();
      if (!this.eat(',') && this.peek() !== '}') throw new Fail();
    }
  }

  string(raw: boolean): string {
    const q = this.peek();
    const delim = this.s.startsWith(q.repeat(3), this.i) ? q.repeat(3) : q;
    this.i += delim.length;
    let out = '';
    while (!this.done()) {
      if (this.s.startsWith(delim, this.i)) {
        this.i += delim.length;
        return out;
      }
      const c = this.s[this.i]!;
      if (c === '\n' && delim.length === 1) throw new Fail();
      if (c === '\\' && this.i + 1 < this.s.length) {
        const next = this.s[this.i + 1]!;
        if (raw) out += next === q ? next : c + next;
        else out += this.escape();
        if (raw) this.i += 2;
        continue;
      }
      out += c;
      this.i++;
    }
    throw new Fail();
  }

  escape(): string {
    const next = this.s[this.i + 1]!;
    this.i += 2;
    const simple = ESCAPES[next];
    if (simple !== undefined) return simple;
    const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (width > 0) {
      const hex = this.s.slice(this.i, this.i + width);
      if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === width) {
        this.i += width;
        return String.fromCodePoint(parseInt(hex, 16));
      }
    }
    return '\\' + next;
  }
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '\n': '',
  b: '\b',
  f: '\f',
};

const WORDS: [string, unknown][] = [
  ['True', true],
  ['False', false],
  ['None', null],
  ['true', true],
  ['false', false],
  ['null', null],
];
