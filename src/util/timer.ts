// setTimeout for any duration: Node fires timers over 2^31-1 ms (~24.8 days) at once, so a long one is
// chained in steps. `--timeout=597h` or `--cleanup-grace=999999h` must wait, not fire immediately.

const MAX_DELAY_MS = 2 ** 31 - 1;

export interface LongTimer {
  clear(): void;
}

export function setLongTimeout(fn: () => void, ms: number): LongTimer {
  let timer: NodeJS.Timeout;
  const due = Date.now() + ms;
  const arm = () => {
    const left = due - Date.now();
    timer = left > MAX_DELAY_MS ? setTimeout(arm, MAX_DELAY_MS) : setTimeout(fn, Math.max(0, left));
  };
  arm();
  return { clear: () => clearTimeout(timer) };
}
