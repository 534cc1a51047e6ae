// The repair ladder's interface (DESIGN.md "Engine", bullet "Repair ladder"): what a model
// returned, the tools it was offered, and what the ladder made of it. Pure data; no I/O.

/** A tool offered to the model: its name and the JSON Schema of its arguments object. */
export interface OfferedTool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object */
  parameters: Record<string, unknown>;
  /** per-tool argument-name aliases: a name a model writes -> the schema's name (rung 4) */
  aliases?: Record<string, string>;
}

/** What a model returned: its text and any native tool calls (arguments as parsed, or raw text). */
export interface ModelReply {
  text: string;
  nativeCalls?: { name: string; arguments: unknown }[];
}

/**
 * The rung that produced a call: 1 native and valid; 2 salvaged from text; 3 argument text
 * repaired by jsonrepair; 4 arguments coerced to the schema; 5 an interpreter model with the
 * schema as `format`; 6 a corrective re-ask of the original model.
 */
export type RepairRung = 1 | 2 | 3 | 4 | 5 | 6;

export const RUNG_NAMES: Record<RepairRung, string> = {
  1: 'native',
  2: 'salvaged',
  3: 'repaired',
  4: 'coerced',
  5: 'interpreted',
  6: 'reasked',
};

export type RepairVerdict = 'calls' | 'no_call' | 'unknown_tool' | 'narrated' | 'invalid';

/**
 * How the call was written: `native` (the API's tool_calls) or the text form it was salvaged
 * from (`tool_call_tag` <tool_call>, `tools_tag` <tools>, `pipe_tool_call` <|tool_call|>,
 * `fenced` a code fence, `tool_code` a ```tool_code fence, `json` a bare JSON value, `python`
 * Python-call syntax, `mistral` [TOOL_CALLS], `python_tag` Llama's <|python_tag|>,
 * `function_tag` <function=NAME>, `function_gemma` <start_function_call>, `gemma4` <|tool_call>, `deepseek` its
 * tool-call tokens, `kimi` Kimi K2's, `harmony` gpt-oss's commentary channel, `invoke` <invoke name=...>, `xml_tag` a tag of the model's invention,
 * `tool_name_tag` a tag named after the tool, `react` Action:/Action Input:), or `interpreted` /
 * `reasked` for rungs 5-6.
 */
export type CallForm =
  | 'native'
  | 'tool_call_tag'
  | 'tools_tag'
  | 'pipe_tool_call'
  | 'fenced'
  | 'tool_code'
  | 'json'
  | 'python'
  | 'mistral'
  | 'python_tag'
  | 'function_tag'
  | 'function_gemma'
  | 'gemma4'
  | 'deepseek'
  | 'kimi'
  | 'harmony'
  | 'invoke'
  | 'xml_tag'
  | 'tool_name_tag'
  | 'react'
  | 'interpreted'
  | 'reasked';

export interface RepairedCall {
  name: string;
  /** valid against the tool's schema (unchecked when the offered tools are not known) */
  arguments: Record<string, unknown>;
  /** the highest rung this call needed */
  rung: RepairRung;
  /** how the model wrote it (set by the ladder; optional for results built elsewhere, e.g. test doubles) */
  form?: CallForm;
}

export interface RepairResult {
  verdict: RepairVerdict;
  /** every call found, in the order the reply made them */
  calls: RepairedCall[];
  /** the reply's text once the calls are taken out: what the user should still see */
  text: string;
  /** why a call could not be produced (unknown_tool, invalid, narrated): names the tool and error */
  problems: string[];
}

/** One model call for rungs 5-6, injected so the core stays pure. */
export type RepairModelCall = (request: {
  purpose: 'interpret' | 'reask';
  system?: string;
  prompt: string;
  /** JSON Schema for constrained decoding (Ollama's `format`), rung 5 only */
  format?: Record<string, unknown>;
}) => Promise<ModelReply>;

export interface RepairOptions {
  /** 'salvage' = rungs 1-4 (synchronous), 'full' adds rungs 5-6 (needs `callModel`) */
  mode: 'salvage' | 'full';
  callModel?: RepairModelCall;
}

/** Options of the synchronous ladder (rungs 1-4). */
export interface RepairSyncOptions {
  /** rung 4 off: arguments must already be valid (default on) */
  coerce?: boolean;
}
