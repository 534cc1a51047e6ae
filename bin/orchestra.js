#!/usr/bin/env node
// Runs the TypeScript sources directly (Node >= 22.18 strips types); `npm run build` emits dist/.
import('../src/cli/bin.ts').catch((err) => {
  console.error(err);
  process.exit(1);
});
