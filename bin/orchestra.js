#!/usr/bin/env node
// Runs the TypeScript sources directly (Node >= 22.18 strips types); `npm run build` emits dist/.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `orchestra needs Node >= 22.18 (it runs its TypeScript sources directly); this is Node ${process.versions.node}. ` +
      'Use `npm run orchestra -- COMMAND` in the project (npm runs it on the pinned Node 24) or install Node 24.',
  );
  process.exit(2);
}
import('../src/cli/bin.ts').catch((err) => {
  console.error(err);
  process.exit(1);
});
