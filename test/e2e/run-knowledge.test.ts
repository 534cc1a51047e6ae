// The run's knowledge store and its embedding model: an emulated run where one agent stores a
// note and the next searches for it. With `knowledge.embeddingModel` in the fleet the note and the
// query are embedded through the gateway's /api/embed (scheduled and counted like any call); without
// it nothing is embedded and the search ranks by BM25 alone.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { composeGateway } from '../../src/app.ts';
import { engineParts } from '../../src/runner/engine-port.ts';
import { createRun, continueRun } from '../../src/runner/run-session.ts';
import { openUsageStore } from '../../src/store/index.ts';
import { openRunStore } from '../../src/store/run-store.ts';

function rules(): unknown[] {
  const arbiter = (user: string, json: unknown) => ({ format: true, user, json });
  const consult = (instruction: string) => ({
    action: 'consult',
    specialist: 'primary',
    instruction,
    acceptance: 'the tool answered',
  });
  return [
    arbiter('Result waiting for your review', { action: 'review', review: { verdict: 'approve' } }),
    arbiter('approved the result of primary', { action: 'finish', result: 'done' }),
    arbiter('primary: the note writer', consult('Store the parser decision as a note.')),
    arbiter('primary: the note reader', consult('Search the notes about the parser.')),
    { format: false, toolResult: true, text: 'Done.' },
    {
      format: false,
      system: '^You are the note writer',
      toolCalls: [
        {
          name: 'store_note',
          arguments: {
            type: 'decision',
            title: 'Parser',
            body: 'a recursive descent parser for expressions',
          },
        },
      ],
    },
    {
      format: false,
      system: '^You are the note reader',
      toolCalls: [{ name: 'search_notes', arguments: { query: 'parser' } }],
    },
  ];
}

async function run(embedding: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'run-knowledge-'));
  const fleetFile = join(dir, 'fleet.yaml');
  writeFileSync(
    fleetFile,
    stringify({
      servers: [{ name: 'mini', url: 'http://127.0.0.1:11434', profile: 'm4-32', memoryGiB: 21.3 }],
      models: [
        { name: 'qwen-fast', paramsB: 7, memoryGiB: 4.4, contextTokens: 32768, servers: ['mini'] },
        { name: 'nomic-embed-text', paramsB: 0.1, memoryGiB: 0.3, contextTokens: 2048, servers: ['mini'] },
      ],
      aliases: { embedder: ['nomic-embed-text'] },
      ...(embedding ? { knowledge: { embeddingModel: 'embedder' } } : {}),
      emulator: { rules: rules() },
    }),
  );
  const pipelineFile = join(dir, 'pipeline.yaml');
  const agent = (id: string, role: string, tool: string, after?: string) => ({
    id,
    model: 'qwen-fast',
    work: '1m',
    ...(after ? { after: [after] } : {}),
    role,
    instructions: role,
    tools: [tool],
  });
  writeFileSync(
    pipelineFile,
    stringify({
      name: 'notes',
      agents: [
        agent('writer', 'the note writer', 'store_note'),
        agent('reader', 'the note reader', 'search_notes', 'writer'),
      ],
    }),
  );
  const storeFile = join(dir, 'runs.sqlite');
  const store = openRunStore(storeFile);
  const runId = createRun(
    store,
    {
      pipelineFile,
      pipelineText: readFileSync(pipelineFile, 'utf8'),
      fleetFile,
      fleetText: readFileSync(fleetFile, 'utf8'),
      workspace: join(dir, 'ws'),
      strategy: 'best',
      emulated: true,
    },
    { now: Date.UTC(2026, 0, 1), runId: 'notes' },
  );
  const usage = openUsageStore(':memory:');
  try {
    const view = await continueRun(runId, {
      composeGateway,
      store,
      usage,
      engine: engineParts(),
      env: {},
      signal: new AbortController().signal,
    });
    const calls = usage.recent(1000).map((r) => [r.api, r.model, r.status]);
    const db = new DatabaseSync(storeFile);
    const notes = db.prepare('SELECT title, agent FROM knowledge_notes WHERE project = ?').all(runId);
    const vectors = db.prepare('SELECT model, dims FROM knowledge_vectors').all();
    db.close();
    return { view, calls, notes, vectors };
  } finally {
    usage.close();
    store.close();
  }
}

describe('orchestra run: the knowledge store', () => {
  it('embeds through the gateway when the fleet names an embedding model', { timeout: 60_000 }, async () => {
    const r = await run(true);
    expect(r.view.status).toBe('succeeded');
    expect(r.notes).toEqual([{ title: 'Parser', agent: 'writer' }]);
    expect(r.vectors).toEqual([{ model: 'embedder', dims: 384 }]);
    // the note when stored, the query when searched: both scheduled and counted by the gateway
    const embeds = r.calls.filter(([, model]) => model === 'nomic-embed-text');
    expect(embeds).toEqual([
      ['ollama', 'nomic-embed-text', 200],
      ['ollama', 'nomic-embed-text', 200],
    ]);
  });

  it('embeds nothing without an embedding model: BM25 alone', { timeout: 60_000 }, async () => {
    const r = await run(false);
    expect(r.view.status).toBe('succeeded');
    expect(r.notes).toEqual([{ title: 'Parser', agent: 'writer' }]);
    expect(r.vectors).toEqual([]);
    expect(r.calls.filter(([, model]) => model === 'nomic-embed-text')).toEqual([]);
  });
});
