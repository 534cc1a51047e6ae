import { describe, expect, it } from 'vitest';
import type { Logger } from './logger.ts';
import { MAX_NOTES_PER_MODEL, translationNoteLogger } from './translation-notes.ts';

function recording(): { logger: Logger; lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { logger: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

describe('translationNoteLogger', () => {
  it('logs each note once per server and model', () => {
    const { logger, lines } = recording();
    const notesOf = translationNoteLogger(logger);
    const a = notesOf('alpha', 'm');
    a('x');
    a('x');
    a('y');
    notesOf('beta', 'm')('x');
    expect(lines.map((l) => l.level)).toEqual(['info', 'info', 'info']);
  });

  it('stops, with one warning, past the cap of distinct notes for a model', () => {
    const { logger, lines } = recording();
    const note = translationNoteLogger(logger)('alpha', 'm');
    for (let i = 0; i < MAX_NOTES_PER_MODEL + 10; i++) note(`tool choice "t${i}"`);
    expect(lines.filter((l) => l.level === 'info')).toHaveLength(MAX_NOTES_PER_MODEL);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([
      {
        level: 'warn',
        message: `translation notes: over ${MAX_NOTES_PER_MODEL} distinct ones; no more are logged`,
      },
    ]);
  });
});
