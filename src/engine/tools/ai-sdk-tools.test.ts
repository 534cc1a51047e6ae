// The ToolSet with the AI SDK itself: the model is offered the tools' JSON Schemas, and a call comes
// back validated but not executed, for the engine to run.
import { generateText } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { toAiSdkTools } from './ai-sdk-tools.ts';
import { appToolsFor } from './tool-registry.ts';

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

function modelCalling(toolName: string, input: unknown): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doGenerate: {
      content: [{ type: 'tool-call', toolCallId: 'c1', toolName, input: JSON.stringify(input) }],
      finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
      usage,
      warnings: [],
    },
  });
}

describe('toAiSdkTools with generateText', () => {
  it('offers the JSON Schemas and returns the call unexecuted', async () => {
    const model = modelCalling('read_file', { path: 'src/a.ts', startLine: 2 });
    const result = await generateText({
      model,
      prompt: 'read it',
      tools: toAiSdkTools(appToolsFor(['read_file', 'list_files'])),
    });
    expect(result.toolCalls).toMatchObject([
      { toolName: 'read_file', input: { path: 'src/a.ts', startLine: 2 } },
    ]);
    expect(result.toolResults).toEqual([]);
    const offered = model.doGenerateCalls[0]!.tools!;
    expect(offered.map((t) => t.name)).toEqual(['read_file', 'list_files']);
    expect(offered[0]).toMatchObject({
      type: 'function',
      inputSchema: { type: 'object', required: ['path'] },
    });
  });

  it('marks a call whose input breaks the schema as invalid, for the repair ladder', async () => {
    const model = modelCalling('read_file', { file: 'src/a.ts' });
    const result = await generateText({
      model,
      prompt: 'read it',
      tools: toAiSdkTools(appToolsFor(['read_file'])),
    });
    expect(result.toolCalls[0]).toMatchObject({ toolName: 'read_file', invalid: true });
  });
});
