// A command's output kept within a byte budget: its start and its end (a test run's summary and
// failures are at the end, the command's first complaint at the start), with the gap counted.

export class CappedOutput {
  readonly #half: number;
  readonly #head: Buffer[] = [];
  #headBytes = 0;
  #tail: Buffer[] = [];
  #tailBytes = 0;
  #total = 0;

  constructor(maxBytes: number) {
    this.#half = Math.max(1, Math.floor(maxBytes / 2));
  }

  push(chunk: Buffer): void {
    this.#total += chunk.length;
    if (this.#headBytes < this.#half) {
      const take = Math.min(chunk.length, this.#half - this.#headBytes);
      this.#head.push(chunk.subarray(0, take));
      this.#headBytes += take;
      chunk = chunk.subarray(take);
    }
    if (chunk.length === 0) return;
    this.#tail.push(chunk);
    this.#tailBytes += chunk.length;
    while (this.#tailBytes - this.#tail[0]!.length >= this.#half)
      this.#tailBytes -= this.#tail.shift()!.length;
  }

  /** bytes received in all */
  get totalBytes(): number {
    return this.#total;
  }

  /** bytes not kept */
  get omittedBytes(): number {
    return Math.max(0, this.#total - this.#headBytes - Math.min(this.#tailBytes, this.#half));
  }

  text(): string {
    const head = Buffer.concat(this.#head).toString('utf8');
    let tail = Buffer.concat(this.#tail);
    if (tail.length > this.#half) tail = tail.subarray(tail.length - this.#half);
    const omitted = this.omittedBytes;
    return omitted === 0
      ? head + tail.toString('utf8')
      : `${head}\n[... ${omitted} bytes of output left out ...]\n${tail.toString('utf8')}`;
  }
}
