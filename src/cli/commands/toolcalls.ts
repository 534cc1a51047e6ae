// `orchestra toolcalls repair`: runs the repair ladder (rungs 1-4) on one reply read from stdin,
// or on every line of a JSONL file. Reading files and printing only; the ladder is src/repair/.
import { readFileSync } from 'node:fs';
import { isAppError } from '../../core/errors/index.ts';
import { repairJsonlLine, repairToolCallsSync, toOfferedTools, RUNG_NAMES } from '../../repair/index.ts';
import { EXIT, UsageError, parseFlags, type CliIO, type Command } from '../command.ts';

export interface ToolcallsDeps {
  /** the whole of standard input */
  readStdin: () => Promise<string>;
}

const HELP = `Usage:
  orchestra toolcalls repair [--tools TOOLS.json] [--json] < reply.txt
  orchestra toolcalls repair --jsonl FILE

Finds the tool calls a model wrote as text (tags, fences, bare JSON, Python-call syntax, Mistral,
Llama, Gemma, DeepSeek tokens, XML-like tags), repairs their JSON, coerces their arguments to the
tools' schemas and prints them (repair ladder rungs 1-4).

Options:
  --tools FILE    the offered tools: a JSON array in OpenAI's ({"type": "function", "function":
                  {...}}) or Anthropic's ({"name", "input_schema"}) shape, or {"tools": [...]};
                  without it names are taken as written and arguments are not checked
  --json          print one JSON document {verdict, calls, text, problems}
  --jsonl FILE    one reply per line, {"id", "raw", "tools"} (tools an OpenAI-style array or
                  null); prints one line per reply {"id", "verdict", "calls", "rungs"}. A bad
                  line is reported on stderr with its line number and the run goes on.
                  FILE "-" reads standard input.

Exit codes: 0 done, 1 some JSONL lines were bad, 2 usage or input error.`;

export function makeToolcallsCommand(deps: ToolcallsDeps): Command {
  return {
    name: 'toolcalls',
    summary: 'repair tool calls a model wrote as text: find, fix and check them against the tools',
    help: HELP,
    async run(argv, io) {
      const { values, positionals } = parseFlags(argv, {
        tools: { type: 'string' },
        json: { type: 'boolean', default: false },
        jsonl: { type: 'string' },
      });
      if (positionals[0] !== 'repair' || positionals.length !== 1)
        throw new UsageError(
          `expected the subcommand "repair", found ${JSON.stringify(positionals.join(' '))}`,
        );
      if (values.jsonl !== undefined) {
        if (values.tools !== undefined)
          throw new UsageError('--tools does not apply to --jsonl (each line has its tools)');
        const text = values.jsonl === '-' ? await deps.readStdin() : readText(values.jsonl);
        return runJsonl(text, values.jsonl === '-' ? 'stdin' : values.jsonl, io);
      }
      const tools = values.tools === undefined ? null : readTools(values.tools);
      const reply = await deps.readStdin();
      const r = repairToolCallsSync({ text: reply }, tools);
      if (values.json) {
        io.out(JSON.stringify(r));
        return EXIT.ok;
      }
      io.out(`verdict: ${r.verdict}`);
      for (const c of r.calls)
        io.out(
          `call ${c.name} ${JSON.stringify(c.arguments)}  (rung ${c.rung} ${RUNG_NAMES[c.rung]}, ${c.form})`,
        );
      for (const p of r.problems) io.out(`problem: ${p}`);
      if (r.verdict === 'calls' && r.text !== '') io.out(`text: ${r.text}`);
      return EXIT.ok;
    },
  };
}

function runJsonl(text: string, name: string, io: CliIO): number {
  let bad = 0;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const r = repairJsonlLine(line, `${name}:${i + 1}`);
    if (r.ok) {
      const { id, verdict, calls, rungs } = r.output;
      io.out(JSON.stringify({ id, verdict, calls, rungs }));
    } else {
      bad++;
      io.err(r.error);
    }
  });
  return bad > 0 ? EXIT.failed : EXIT.ok;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

function readTools(file: string) {
  let doc: unknown;
  try {
    doc = JSON.parse(readText(file));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: not JSON (${(e as Error).message})`);
  }
  const list =
    doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as { tools?: unknown }).tools : doc;
  if (!Array.isArray(list))
    throw new UsageError(`${file}: expected a JSON array of tools, or {"tools": [...]}`);
  try {
    return toOfferedTools(list);
  } catch (e) {
    if (isAppError(e)) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const toolcallsCommand = makeToolcallsCommand({ readStdin: readProcessStdin });
