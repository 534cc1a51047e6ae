// The ways models emit tool calls, correct and broken, rendered from the calls themselves, so the
// repair ladder (issue 15) sees what real model families write. Whose form each is (facts from the
// families' chat templates, model cards and inference servers' parsers):
//   native           Ollama's message.tool_calls
//   json             bare {"name", "arguments"} objects, one per line (Qwen, Llama without tags)
//   fenced           the same in ```json fences (Phi-4, most chat-tuned models without tool training)
//   tags             <tool_call>{...}</tool_call> (Hermes / Qwen2.5 / Qwen3 templates)
//   tools-tags       <tools>{...}</tools> (a tag of the offered-tools block, written back)
//   pipe-tags        <|tool_call|>[{...}] (IBM Granite 3)
//   array            a bare JSON array of calls
//   openai-envelope  {"type": "function", "function": {...}} (OpenAI's wire shape, written as text)
//   parameters       {"name", "parameters"} (Llama 3.1-3.3 JSON tool calling, Gemma 3 JSON prompt)
//   args             {"name", "args"} (Gemini-style)
//   string-arguments "arguments" as a JSON string (OpenAI's wire encoding)
//   python           name(key="v", content="""...""") one per line
//   python-list      [a(x=1), b(y="z")] (Llama 3.2 / 4 pythonic, Gemma 3 Python prompt)
//   mistral          [TOOL_CALLS] [{...}] (Mistral 7B v0.3 / Nemo, v3 tokenizer)
//   mistral-v11      [TOOL_CALLS]name[ARGS]{...} (Mistral Small 3.2, Devstral, Magistral)
//   llama            <|python_tag|>{"name", "parameters"} (Llama 3.1), several joined by "; "
//   gemma            ```tool_code fences with Python calls (Gemma 3 cookbook prompts)
//   functiongemma    <start_function_call>call:name{k:<escape>v<escape>}<end_function_call>
//   xml              an invented tag per tool with a tag per argument (Cline-style prompts)
//   function-tag     <function=name>{...}</function> (Llama 3.1 custom tool format)
//   qwen-xml         <tool_call><function=name><parameter=k>v</parameter>... (Qwen3-Coder)
//   repeat           the same <tool_call> block over and over, until the token limit
//   misnamed         a native call whose name is mis-cased, kebab-cased, namespaced or misspelled
//   trailing-comma / single-quotes / missing-brace   bare JSON with that defect
//   string-numbers   a native call with numbers and booleans as strings
//   narrated         "I will now call write_file ..." and no call at all
import { TOOL_CALL_FORMS, type ToolCallForm } from '../../config/emulator-schema.ts';
import { hashText } from './hash-text.ts';
import { pythonKeywords, tagText, writeFunctionGemma, writeJson, type JsonStyle } from './literal-writers.ts';
import { splitTokens, type ResponderOutput, type ResponderToolCall } from './responder.ts';

export { TOOL_CALL_FORMS, type ToolCallForm };

export interface RenderOptions {
  /** the request's num_predict: `repeat` writes past it (the emulator then cuts the reply) */
  maxTokens?: number;
}

/** how many times `repeat` writes its call when the request sets no token limit */
export const REPEAT_WITHOUT_LIMIT = 64;

const SPACED: JsonStyle = { spaced: true };

export function renderToolCalls(
  calls: readonly ResponderToolCall[],
  form: ToolCallForm,
  text = '',
  options: RenderOptions = {},
): ResponderOutput {
  if (form === 'native') return { content: text, toolCalls: [...calls] };
  if (form === 'misnamed')
    return { content: text, toolCalls: calls.map((c) => ({ ...c, name: misnamed(c.name) })) };
  if (form === 'string-numbers')
    return {
      content: text,
      toolCalls: calls.map((c) => ({
        ...c,
        arguments: JSON.parse(writeJson(c.arguments, { stringScalars: true })) as Record<string, unknown>,
      })),
    };
  const body = form === 'repeat' ? repeated(calls, text, options) : textOf(calls, form);
  if (form === 'narrated') return { content: text ? `${text} ${body}` : body };
  return { content: text ? `${text}\n${body}` : body };
}

function textOf(
  calls: readonly ResponderToolCall[],
  form: Exclude<ToolCallForm, 'native' | 'misnamed' | 'string-numbers' | 'repeat'>,
): string {
  const each = (f: (c: ResponderToolCall) => string, sep = '\n'): string => calls.map(f).join(sep);
  const obj = (c: ResponderToolCall, key = 'arguments'): Record<string, unknown> => ({
    name: c.name,
    [key]: c.arguments,
  });
  const spaced = (v: unknown): string => writeJson(v, SPACED);
  const all = calls.map((c) => obj(c));
  switch (form) {
    case 'json':
      return each((c) => spaced(obj(c)));
    case 'fenced':
      return each((c) => '```json\n' + spaced(obj(c)) + '\n```');
    case 'tags':
      return each((c) => `<tool_call>\n${spaced(obj(c))}\n</tool_call>`);
    case 'tools-tags':
      return each((c) => `<tools>\n${spaced(obj(c))}\n</tools>`);
    case 'pipe-tags':
      return `<|tool_call|>${spaced(all)}`;
    case 'array':
      return spaced(all);
    case 'openai-envelope':
      return each((c) => spaced({ type: 'function', function: obj(c) }));
    case 'parameters':
      return each((c) => spaced(obj(c, 'parameters')));
    case 'args':
      return each((c) => spaced(obj(c, 'args')));
    case 'string-arguments':
      return each((c) => spaced({ name: c.name, arguments: spaced(c.arguments) }));
    case 'python':
      return each((c) => `${c.name}(${pythonKeywords(c.arguments)})`);
    case 'python-list':
      return `[${each((c) => `${c.name}(${pythonKeywords(c.arguments)})`, ', ')}]`;
    case 'mistral':
      return `[TOOL_CALLS] ${spaced(all)}`;
    case 'mistral-v11':
      return each((c) => `[TOOL_CALLS]${c.name}[ARGS]${spaced(c.arguments)}`, '');
    case 'llama':
      return `<|python_tag|>${each((c) => spaced(obj(c, 'parameters')), '; ')}`;
    case 'gemma':
      return '```tool_code\n' + each((c) => `${c.name}(${pythonKeywords(c.arguments)})`) + '\n```';
    case 'functiongemma':
      return each(
        (c) => `<start_function_call>call:${c.name}${writeFunctionGemma(c.arguments)}<end_function_call>`,
        '',
      );
    case 'xml':
      return each(
        (c) =>
          `<${c.name}>\n${Object.entries(c.arguments)
            .map(([k, v]) => `<${k}>${tagText(v)}</${k}>\n`)
            .join('')}</${c.name}>`,
      );
    case 'function-tag':
      return each((c) => `<function=${c.name}>${spaced(c.arguments)}</function>`);
    case 'qwen-xml':
      return each(
        (c) =>
          `<tool_call>\n<function=${c.name}>\n${Object.entries(c.arguments)
            .map(([k, v]) => `<parameter=${k}>\n${tagText(v)}\n</parameter>\n`)
            .join('')}</function>\n</tool_call>`,
      );
    case 'trailing-comma':
      return each((c) => writeJson(obj(c), { spaced: true, trailingCommas: true }));
    case 'single-quotes':
      return each((c) => writeJson(obj(c), { spaced: true, quote: "'" }));
    case 'missing-brace':
      return each((c) => spaced(obj(c)).slice(0, -1));
    case 'narrated':
      return narration(calls);
  }
}

/** the first call's <tool_call> block again and again: past num_predict, or REPEAT_WITHOUT_LIMIT times */
function repeated(calls: readonly ResponderToolCall[], text: string, options: RenderOptions): string {
  const block = textOf(calls.slice(0, 1), 'tags');
  const per = Math.max(1, splitTokens(`\n${block}`).length);
  const used = splitTokens(text).length;
  const n =
    options.maxTokens !== undefined
      ? Math.ceil(Math.max(0, options.maxTokens - used) / per) + 1
      : REPEAT_WITHOUT_LIMIT;
  return Array.from({ length: n }, () => block).join('\n');
}

/** a wrong but recognisable name: camelCase, PascalCase, kebab-case, namespaced, or a letter lost */
export function misnamed(name: string): string {
  const words = name.split(/[_\-\s]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);
  const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
  const variants = [
    words.length > 1 ? words[0]!.toLowerCase() + words.slice(1).map(cap).join('') : '',
    words.map(cap).join(''),
    words.length > 1 ? words.map((w) => w.toLowerCase()).join('-') : '',
    `functions.${name}`,
    name.length > 4 ? name.slice(0, -2) + name.slice(-1) : '',
  ].filter((v) => v !== '' && v !== name);
  return variants[hashText(`misnamed\n${name}`) % variants.length] ?? `${name}_tool`;
}

/** announces the calls in prose, as a model does that has understood the task but not the tools */
function narration(calls: readonly ResponderToolCall[]): string {
  const first = calls[0];
  if (!first) return '';
  const detail = Object.entries(first.arguments).find(
    ([, v]) => typeof v === 'string' && !v.includes('\n') && v.length <= 80,
  );
  const about = detail ? ` with ${detail[0]} ${JSON.stringify(detail[1])}` : '';
  const rest =
    calls.length > 1
      ? `, then ${calls
          .slice(1)
          .map((c) => c.name)
          .join(', then ')}`
      : '';
  const phrasings = [
    `I will now call ${first.name}${about}${rest}.`,
    `Next, I'll use the ${first.name} tool${about}${rest}.`,
    `Let me call \`${first.name}\`${about}${rest} to do that.`,
  ];
  return phrasings[hashText(`narrated\n${first.name}`) % phrasings.length]!;
}
