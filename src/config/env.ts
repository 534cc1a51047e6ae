// The only place that reads process.env (besides the loader's interpolation default).
export function readEnv(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
}

export function envSnapshot(): Readonly<Record<string, string | undefined>> {
  return process.env;
}
