// Frames produced in one turn of the event loop go out as one write. Several events often come from
// one upstream read (a few NDJSON lines); a socket write each cost more than the rest of the
// gateway's per-token work at 100 concurrent streams. The delay is one setImmediate, not a timer.

export interface CoalescingWriter {
  push(text: string): void;
  /** writes what is buffered now */
  flush(): void;
  /** what is buffered, no longer to be written by this writer (the caller writes it with the end) */
  take(): string;
}

export function coalescingWriter(write: (text: string) => void): CoalescingWriter {
  let buffer = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (buffer === '') return;
    const text = buffer;
    buffer = '';
    write(text);
  };
  return {
    push(text) {
      if (text === '') return;
      buffer += text;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
    take() {
      const text = buffer;
      buffer = '';
      return text;
    },
  };
}
