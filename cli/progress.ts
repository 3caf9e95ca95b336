/** A one-line progress bar on a terminal; silent when stderr is not a TTY (CI logs). */
export function progressBar(label: string, total: number): { update(done: number, note?: string): void; end(): void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  return {
    update(done, note = "") {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return; // redraws cost; 10 per second is plenty
      last = now;
      const width = 30, filled = Math.round((width * done) / Math.max(total, 1));
      process.stderr.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${note}\x1b[K`);
    },
    end() {
      if (tty) process.stderr.write("\n");
    },
  };
}
