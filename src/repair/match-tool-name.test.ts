import { describe, expect, it } from 'vitest';
import { editDistance, matchToolName } from './match-tool-name.ts';

const OFFERED = ['write_file', 'read_file', 'get_weather', 'search'];

describe('matchToolName', () => {
  it('matches exactly, then case/snake/kebab/camel-insensitively, then namespaces stripped', () => {
    expect(matchToolName('write_file', OFFERED)).toEqual({ name: 'write_file', how: 'exact' });
    for (const w of ['WriteFile', 'writeFile', 'write-file', 'WRITE_FILE', 'Write File'])
      expect(matchToolName(w, OFFERED), w).toEqual({ name: 'write_file', how: 'normalized' });
    expect(matchToolName('functions.get_weather', OFFERED)?.name).toBe('get_weather');
    expect(matchToolName('default_api.search', OFFERED)?.name).toBe('search');
  });

  it('matches a unique close typo, never a short or ambiguous one', () => {
    expect(matchToolName('get_wether', OFFERED)).toEqual({ name: 'get_weather', how: 'fuzzy' });
    expect(matchToolName('serch', OFFERED)?.name).toBe('search');
    expect(matchToolName('lsx', ['ls'])).toBeUndefined(); // too short for an edit
    expect(matchToolName('rite_file', ['write_file', 'rite_fil'])).toBeUndefined(); // two equally close
    expect(matchToolName('delete_everything', OFFERED)).toBeUndefined();
    expect(matchToolName('weather_get', OFFERED)).toEqual({ name: 'get_weather', how: 'fuzzy' });
    expect(matchToolName('SearchWeb', ['web_search'])).toEqual({ name: 'web_search', how: 'fuzzy' });
  });

  it('counts adjacent swaps as one edit', () => {
    expect(editDistance('abcd', 'abdc')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
