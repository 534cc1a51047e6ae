// The environment a command runs with: the caller's, without what looks like a credential. A model
// decides what runs, and its output goes back to the model (and to logs): an API key in the
// environment is one `env` away from both.

// a name is dropped when one of its _-separated parts is one of these (AWS_SECRET_ACCESS_KEY,
// OPENAI_API_KEY, GH_TOKEN, SSH_AUTH_SOCK, npm_config__auth, PGPASSWORD ...)
const SECRET_PARTS = new Set([
  'KEY',
  'KEYS',
  'APIKEY',
  'TOKEN',
  'TOKENS',
  'SECRET',
  'SECRETS',
  'PASSWORD',
  'PASSWORDS',
  'PASSWD',
  'PGPASSWORD',
  'PASSPHRASE',
  'CREDENTIAL',
  'CREDENTIALS',
  'AUTH',
  'COOKIE',
  'COOKIES',
  'PRIVATE',
  'SIGNATURE',
]);

// values that are credentials whatever the name: user:password@ in a URL, well-known key prefixes
const SECRET_VALUES = [
  /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]+:[^/@\s]+@/i,
  /^(sk-|sk_live_|rk_live_|ghp_|gho_|ghs_|github_pat_|glpat-|xox[abposr]-|AKIA[0-9A-Z]{12}|AIza)/,
];

export function isSecretVariable(name: string, value: string): boolean {
  if (
    name
      .toUpperCase()
      .split('_')
      .some((part) => SECRET_PARTS.has(part))
  )
    return true;
  return SECRET_VALUES.some((re) => re.test(value));
}

/** `env` without credentials and unset entries; the names removed are returned to be reported */
export function scrubEnv(env: Readonly<Record<string, string | undefined>>): {
  env: Record<string, string>;
  removed: string[];
} {
  const out: Record<string, string> = {};
  const removed: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (isSecretVariable(name, value)) removed.push(name);
    else out[name] = value;
  }
  return { env: out, removed: removed.sort() };
}
