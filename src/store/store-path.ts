// Where a fleet's usage store lives. A relative gateway.storePath is read from the config file's
// folder, not the working directory: `orchestra serve` started by a service manager (in /) and
// `orchestra usage` run from a shell must open the same store.
import { dirname, isAbsolute, resolve } from 'node:path';

export function storePathFor(storePath: string, configFile: string): string {
  if (storePath === ':memory:' || isAbsolute(storePath)) return storePath;
  return resolve(dirname(configFile), storePath);
}
