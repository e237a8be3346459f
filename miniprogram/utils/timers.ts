/**
 * Timers that belong to a page or component instance, so they can all be stopped when it goes
 * away (a late setData on a closed page is wasted work, and in tests it renders into a torn-down
 * tree). `later` debounces: a new call under the same name replaces the pending one.
 */
type Handle = ReturnType<typeof setTimeout>;

const owned = new WeakMap<object, Map<string, { handle: Handle; repeating: boolean }>>();

function timersOf(owner: object): Map<string, { handle: Handle; repeating: boolean }> {
  let timers = owned.get(owner);
  if (!timers) {
    timers = new Map();
    owned.set(owner, timers);
  }
  return timers;
}

export function cancel(owner: object, name: string): void {
  const timer = timersOf(owner).get(name);
  if (!timer) return;
  if (timer.repeating) clearInterval(timer.handle);
  else clearTimeout(timer.handle);
  timersOf(owner).delete(name);
}

export function later(owner: object, name: string, ms: number, work: () => void): void {
  cancel(owner, name);
  const handle = setTimeout(() => {
    timersOf(owner).delete(name);
    work();
  }, ms);
  timersOf(owner).set(name, { handle, repeating: false });
}

export function every(owner: object, name: string, ms: number, work: () => void): void {
  cancel(owner, name);
  timersOf(owner).set(name, { handle: setInterval(work, ms), repeating: true });
}

export function cancelAll(owner: object): void {
  for (const name of [...timersOf(owner).keys()]) cancel(owner, name);
}
