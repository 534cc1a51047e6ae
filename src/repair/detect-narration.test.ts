import { describe, expect, it } from 'vitest';
import { detectNarration } from './detect-narration.ts';

const TOOLS = ['write_file', 'get_weather', 'web_search'];

describe('detectNarration', () => {
  it.each([
    'I will now call write_file with the content.',
    "Next, I'll use the get_weather tool for Paris.",
    'Let me call `web_search` to find that.',
    'Let me write the file for you.',
    "I'm going to search the web for the release notes.",
  ])('%s', (text) => {
    expect(detectNarration(text, TOOLS)).toBeDefined();
  });

  it.each([
    'The weather in Paris is 18°C.',
    "I can't call write_file: the path is outside the workspace.",
    'Using the results above, the answer is 42.',
    'The write_file tool writes a file.',
    '```python\n# I will call write_file here\nwrite(path)\n```',
  ])('not: %s', (text) => {
    expect(detectNarration(text, TOOLS)).toBeUndefined();
  });

  it('with unknown tools, needs the word tool; with none offered, never', () => {
    expect(detectNarration('I will use the search tool now.', null)).toBeDefined();
    expect(detectNarration('I will use a loop here.', null)).toBeUndefined();
    expect(detectNarration('I will call write_file.', [])).toBeUndefined();
  });
});
