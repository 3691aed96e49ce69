/** Keeps the last `maxBytes` of a byte stream, cut at a line start, for junit system-out and error messages. */
export class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly maxBytes = 64 * 1024) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.maxBytes && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
    }
  }

  text(): string {
    let buf = Buffer.concat(this.chunks);
    if (buf.length > this.maxBytes) {
      buf = buf.subarray(buf.length - this.maxBytes);
      const nl = buf.indexOf(10);
      if (nl >= 0 && nl < buf.length - 1) buf = buf.subarray(nl + 1);
    }
    return buf.toString('utf8');
  }
}
