// The dashboard in a real Chromium (the Debian package, driven by playwright-core) against a real
// `orchestra serve` on the emulated fleet with traffic running: each page's figures against the
// gateway's own numbers (/admin/queue, the usage store, the run API and the runner's fold), live
// updates (a run `orchestra run` executes in another process included), answering a waiting run
// from its page, a refused key, no console errors, and screenshots of every page at laptop and
// phone widths (docs/screenshots/).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../src/dashboard/run-source.ts';
import { savingsSinceMs } from '../../src/dashboard/savings-ledger.ts';
import { readRun } from '../../src/runner/run-log.ts';
import type { RunView } from '../../src/runner/run-state.ts';
import { openRunStore } from '../../src/store/run-store.ts';
import type { QueueSnapshot } from '../../src/scheduler/scheduler-port.ts';
import { dollarsSaved, openUsageStore, savingsBaseline, type UsageStore } from '../../src/store/index.ts';
import { startCli } from './cli-process.ts';
import { KEYS, MASTER, startDashboardFixture, type DashboardFixture } from './dashboard-fixture.ts';
import { ANSWER, writeRunFiles } from './dashboard-run-fixture.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_BROWSER = existsSync(CHROMIUM);
if (!HAVE_BROWSER)
  console.warn(
    `dashboard browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
// `npm run screenshots` writes them to docs/screenshots/; a plain test run to a temporary folder,
// so the suite leaves no tracked file changed
const SHOTS = process.env.ORCHESTRA_SCREENSHOTS
  ? resolve(process.env.ORCHESTRA_SCREENSHOTS)
  : join(tmpdir(), 'orchestra-dashboard-screenshots');
const LAPTOP = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 844 };

let fx: DashboardFixture;
let context: BrowserContext;
let page: Page;
let profile: string;
let store: UsageStore;
let runId = '';
const consoleErrors: string[] = [];

const gib = (n: number): string => `${n.toFixed(1)} GiB`;
const dollars = (n: number): string =>
  n >= 100 ? `$${Math.round(n).toLocaleString('en-US')}` : `$${n.toFixed(n >= 1 ? 2 : 4)}`;
// the machine is shared: a page update may take seconds under the full suite's load
const poll = <T>(f: () => T | Promise<T>, o: { timeout?: number } = {}) =>
  expect.poll(f, { interval: 100, timeout: o.timeout ?? 15_000 });
const text = (selector: string): Promise<string> => page.locator(selector).first().innerText();
/** the runner's fold of a run, read from the store as `orchestra runs show` does */
function readRunView(id: string): RunView {
  const runs = openRunStore(fx.storePath);
  try {
    return readRun(runs, id).view;
  } finally {
    runs.close();
  }
}

async function open(hash: string): Promise<void> {
  await page.evaluate(
    (h) => ((globalThis as unknown as { location: { hash: string } }).location.hash = h),
    hash,
  );
  await page.locator('#status[data-state="live"]').waitFor();
}

/** `fullPage`: the whole of a page longer than a laptop's screen (a phone's shows its top) */
async function shoot(name: string, fullPage = false): Promise<void> {
  await page.setViewportSize(LAPTOP);
  await page.screenshot({ path: join(SHOTS, `${name}-laptop.png`), fullPage });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`) });
  await page.setViewportSize(LAPTOP);
}

/** the fleet and queues pages while traffic runs */
async function trafficChecks(): Promise<void> {
  await open('#/fleet');
  // both big models of alpha take turns (they cannot share its memory): the page follows each swap
  const alpha = (model: string) => page.locator(`.card:has([data-server="alpha"]) tr[data-model="${model}"]`);
  for (const [comes, goes] of [
    ['qwen2.5:14b', 'qwen2.5-coder:32b'],
    ['qwen2.5-coder:32b', 'qwen2.5:14b'],
  ] as const) {
    await alpha(comes).waitFor({ timeout: 15_000 });
    await alpha(goes).waitFor({ state: 'detached', timeout: 15_000 });
  }
  await page.locator('.card:has([data-server="beta"]) tr[data-model="qwen2.5:7b"]').waitFor();
  await shoot('fleet');
  await open('#/queues');
  await poll(async () => Number(await text('tr[data-alias="fast"] [data-field=served]'))).toBeGreaterThan(0);
  await shoot('queues');
}

describe.skipIf(!HAVE_BROWSER)('dashboard in Chromium', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    mkdirSync(SHOTS, { recursive: true });
    fx = await startDashboardFixture();
    profile = mkdtempSync(join(tmpdir(), 'orchestra-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: LAPTOP,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    store = openUsageStore(fx.storePath);
  });

  afterAll(async () => {
    store?.close();
    await context?.close();
    await fx?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('refuses a wrong key and a non-admin key, and keeps the key out of the URL and the logs', async () => {
    await page.goto(`${fx.gw.url}/ui`);
    const dialog = page.locator('#login');
    await dialog.waitFor();
    await shoot('login');
    for (const [key, why] of [
      ['not-the-key', 'invalid API key'],
      [KEYS.alice, 'needs the master key'],
    ]) {
      await page.fill('#login-key', key!);
      await page.click('#login button[type=submit]');
      await poll(() => text('#login-error')).toContain(why);
    }
    expect(await page.locator('#status').getAttribute('data-state')).toBe('refused');
    // the API itself refuses them with the gateway's error shape
    for (const [key, status] of [
      ['not-the-key', 401],
      [KEYS.alice, 403],
    ] as const) {
      const r = await fetch(`${fx.gw.url}/ui/api/state`, { headers: { authorization: `Bearer ${key}` } });
      expect(r.status).toBe(status);
      expect(((await r.json()) as { error: { type: string } }).error.type).toBeTruthy();
    }
    await page.fill('#login-key', MASTER);
    await page.click('#login button[type=submit]');
    await page.locator('#status[data-state="live"]').waitFor();
    expect(await dialog.isVisible()).toBe(false);
    expect(page.url()).not.toContain(MASTER);
    expect(await page.evaluate(() => sessionStorage.getItem('orchestra.dashboard.key'))).toBe(MASTER);
    expect(fx.logs.join('\n')).not.toContain(MASTER);
  });

  it('shows the fleet as /admin/queue has it, and a load as it happens', async () => {
    await open('#/fleet');
    await poll(() => page.locator('[data-empty]').count()).toBe(2); // nothing loaded yet
    await fx.ask('alice', 'coder');
    // live: the load shows up without a reload
    await page.locator('.card:has([data-server="alpha"]) tr[data-model="qwen2.5-coder:32b"]').waitFor();
    const q = (await fx.adminJson('/admin/queue')) as QueueSnapshot;
    const alpha = q.servers.find((s) => s.name === 'alpha')!;
    expect(alpha.resident).toEqual(['qwen2.5-coder:32b']);
    const card = '.card:has([data-server="alpha"])';
    await poll(() => text(`${card} tr[data-model="qwen2.5-coder:32b"] .pill`)).toBe('resident');
    expect(await text(`${card} [data-field=used]`)).toBe(gib(alpha.usedGiB));
    expect(await text(`${card} [data-field=free]`)).toBe(gib(alpha.memoryGiB - alpha.usedGiB));
    expect(await text(`${card} [data-field=visit]`)).toContain(alpha.visit!.model);
  });

  it('updates the fleet and queues live under traffic, with the figures of /admin/queue', async () => {
    const traffic = fx.traffic();
    let sent: number;
    try {
      await trafficChecks();
    } finally {
      // stopped even when a check fails: the next tests count rows of a quiet gateway
      sent = await traffic.stop();
    }
    expect(sent).toBeGreaterThan(8);
    // quiet: nothing waits or runs, as the scheduler says, and the page says so too
    const q = (await fx.adminJson('/admin/queue')) as QueueSnapshot;
    expect(q.servers.flatMap((s) => [...s.queued, ...s.inFlight])).toEqual([]);
    for (const alias of ['coder', 'writer', 'fast']) {
      await poll(() => text(`tr[data-alias="${alias}"] [data-field=waiting]`)).toBe('0');
      await poll(() => text(`tr[data-alias="${alias}"] [data-field=running]`)).toBe('0');
    }
    // served in the last minute: every successful row of the alias (the traffic took under a minute)
    const rows = store.recent(10_000);
    for (const alias of ['coder', 'writer', 'fast']) {
      const ok = rows.filter((r) => r.alias === alias && r.status < 400).length;
      const refused = rows.filter((r) => r.alias === alias && r.status >= 400).length;
      await poll(() => text(`tr[data-alias="${alias}"] [data-field=served]`)).toBe(String(ok));
      expect(await text(`tr[data-alias="${alias}"] [data-field=refused]`)).toBe(String(refused));
    }
  });

  it('lists the latest requests as the usage store has them, and a new one live', async () => {
    await open('#/requests');
    const rows = store.recent(5);
    for (const r of rows) {
      const row = `tr[data-request="${r.requestId}"]`;
      expect(await text(`${row} [data-field=alias]`)).toBe(r.alias);
      expect(await text(`${row} [data-field=model]`)).toContain(r.model!);
      expect(await text(`${row} [data-field=tokens]`)).toBe(`${r.inputTokens} / ${r.outputTokens}`);
      expect(r.ttftMs).toBeGreaterThan(0);
      expect(await text(`${row} [data-field=ttft]`)).not.toBe('–');
    }
    const before = await page.locator('tbody tr').count();
    await fx.ask('bob', 'fast', 'late-agent');
    const newest = await poll(() => store.recent(1)[0]?.agent)
      .toBe('late-agent')
      .then(() => store.recent(1)[0]!);
    await page.locator(`tr[data-request="${newest.requestId}"]`).waitFor();
    expect(await page.locator('tbody tr').first().getAttribute('data-request')).toBe(newest.requestId);
    expect(await page.locator('tbody tr').count()).toBe(Math.min(100, before + 1));
    await shoot('requests');
  });

  it('values the local tokens at the cloud price per key, as the store sums them', async () => {
    await open('#/savings');
    const since = savingsSinceMs(Date.now());
    const price = savingsBaseline({
      models: [{ name: 'claude-sonnet', price: { inputPerMTok: 3, outputPerMTok: 15 } }] as never,
    })!;
    const total = dollarsSaved(store.totals({ sinceMs: since })[0]!, price);
    expect(total).toBeGreaterThan(0);
    await poll(() => text('[data-field=total]')).toBe(dollars(total));
    for (const t of store.totals({ sinceMs: since, by: 'key' }))
      expect(await text(`tr[data-key="${t.key}"] [data-field=saved]`)).toBe(dollars(dollarsSaved(t, price)));
    expect(await page.locator('svg.chart rect').count()).toBeGreaterThan(0);
    await shoot('savings');
  });

  it('shows a run the command line starts on the same store, live, with the API figures', async () => {
    await open('#/runs');
    expect(await text('[data-empty] .empty-title')).toContain('No runs yet');
    const { pipelineFile, fleetFile } = writeRunFiles(fx.dir);
    const cli = startCli([
      'run',
      pipelineFile,
      '--config',
      fleetFile,
      '--emulate',
      '--store',
      fx.storePath,
      '--workspace',
      join(fx.dir, 'ws'),
      '--json',
    ]);
    const exited = new Promise<number | null>((r) => cli.proc.once('exit', (code) => r(code)));
    runId = (JSON.parse(await cli.waitFor(/"run":/, 30_000)) as { run: string }).run;
    // live: the row shows up without a reload, and follows the run until it asks the user
    const row = `tr[data-run="${runId}"]`;
    await page.locator(row).waitFor({ timeout: 30_000 });
    await poll(() => text(`${row} [data-field=state]`), { timeout: 60_000 }).toBe('waiting');
    expect(await exited).toBe(0);
    const d = (await fx.adminJson(`/ui/api/runs/${runId}`)) as RunDetail;
    // the API's figures are the runner's own fold of the log
    const view = readRunView(runId);
    expect(d).toMatchObject({
      state: view.status,
      heals: view.heals.length,
      question: view.question!.question,
    });
    expect(d.heals).toBeGreaterThan(0);
    await poll(() => text(`${row} [data-field=agents-done]`)).toBe(`${d.agentsDone} / ${d.agents}`);
    expect(await text(`${row} [data-field=heals]`)).toBe(String(d.heals));
    await shoot('runs');

    await page.click(`${row} a`);
    const detail = `[data-run-detail="${runId}"]`;
    await page.locator(detail).waitFor();
    expect(await text(`${detail} [data-field=state]`)).toBe('waiting');
    expect(await text(`${detail} [data-field=agents-done]`)).toBe(`${d.agentsDone} / ${d.agents}`);
    expect(await text(`${detail} [data-field=heals]`)).toBe(String(d.heals));
    expect(await text(`${detail} [data-field=question]`)).toBe(d.question);
    expect(await text(`${detail} [data-field=executor]`)).toContain('waits for your answer');
    expect(await page.locator(`${detail} tr[data-heal]`).count()).toBe(d.healEvents.length);
    expect(d.agentsList.map((a) => a.id)).toEqual(['f-invalid', 'f-stall']);
    for (const a of d.agentsList) {
      const tr = `${detail} tr[data-agent="${a.id}"]`;
      expect(await text(`${tr} [data-field=state]`)).toBe(a.state);
      expect(await text(`${tr} [data-field=tokens]`)).toBe(a.tokens.toLocaleString('en-US'));
      expect(await text(`${tr} [data-field=heals]`)).toBe(String(a.heals));
      // the Gantt draws the API's planned and actual spans
      const bar = (kind: string, attr: string) =>
        page.locator(`${detail} svg.gantt g[data-agent="${a.id}"] rect.${kind}`).getAttribute(attr);
      expect(await bar('planned', 'data-start-ms')).toBe(String(a.planned!.startMs));
      expect(await bar('planned', 'data-end-ms')).toBe(String(a.planned!.endMs));
      expect(await bar('actual', 'data-start-ms')).toBe(String(a.actual!.startMs));
    }
    expect(d.agentsList[0]!.state).toBe('succeeded');
    expect(d.agentsList[1]!.state).toBe('waiting');
    await shoot('run', true);
    // readable on a phone: nothing wider than the screen
    await page.setViewportSize(PHONE);
    const wide = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
          .documentElement.scrollWidth,
    );
    expect(wide).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(LAPTOP);
  });

  it('refuses bad answers in the API error shape, and the button resumes the run live', async () => {
    const post = (body: unknown, key = MASTER) =>
      fetch(`${fx.gw.url}/ui/api/runs/${runId}/answer`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refusal = async (r: Response) => ({
      status: r.status,
      error: ((await r.json()) as { error: { message: string; type: string } }).error,
    });
    expect(await refusal(await post({ text: ANSWER }, 'not-the-key'))).toMatchObject({
      status: 401,
      error: { type: expect.any(String) as unknown },
    });
    expect(await refusal(await post({ text: '   ' }))).toMatchObject({
      status: 400,
      error: { message: expect.stringContaining('non-empty text') as unknown },
    });
    expect(readRunView(runId).status).toBe('waiting');

    const detail = `[data-run-detail="${runId}"]`;
    await page.fill('#answer-text', ANSWER);
    await page.click(`${detail} form.answer button[type=submit]`);
    await poll(() => text('[data-answered]')).toMatch(/resumes in process \d+/);
    // live: the resumed process finishes the run with the answer, and the page follows it
    await poll(() => text(`${detail} [data-field=state]`), { timeout: 60_000 }).toBe('succeeded');
    expect(await page.locator('form.answer').count()).toBe(0);
    expect(await text(`${detail} tr[data-agent="f-stall"] [data-field=state]`)).toBe('succeeded');
    const view = readRunView(runId);
    expect(view.status).toBe('succeeded');
    expect(view.agents['f-stall']!.answers).toEqual([ANSWER]);
    expect(existsSync(join(fx.dir, 'ws', 'f-stall.txt'))).toBe(true);
    expect(await refusal(await post({ text: 'again' }))).toMatchObject({
      status: 400,
      error: { message: `run ${runId} is succeeded, not waiting for an answer` },
    });
  });

  it('says so when a run is not in the store', async () => {
    await open('#/runs/no-such-run');
    await poll(() => text('[data-run-error]')).toContain('No run no-such-run');
    // the browser logs the API's 404 for it; that is the only error the page causes
    const expected = consoleErrors.filter((e) => e.includes('/ui/api/runs/no-such-run'));
    expect(expected.length).toBeGreaterThan(0);
    consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !expected.includes(e)));
  });

  it('wrote no error to the console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
