// Tool-call repair bench: the recovery table over the project corpus (per form, per rung, false
// calls). `npm run bench -- toolcalls` also runs every other bench/toolcalls*.bench.ts file (the
// time to first token of plain streamed answers with repair on against off). Asserts nothing.
import { toolcallRecoveryReport } from './toolcalls-recovery.ts';

for (const line of toolcallRecoveryReport()) console.log(line);
