// The gateway logs through this interface (one JSON line per event in serve). Fields never carry
// prompt text or keys (gateway.logContent is reserved and changes nothing).
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** JSON lines on a writer (stderr in serve) */
export function jsonLogger(write: (line: string) => void, now: () => number = Date.now): Logger {
  const log =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}): void =>
      write(JSON.stringify({ time: new Date(now()).toISOString(), level, message, ...fields }));
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
