/** POSIX `path` for the browser bundle: miniprogram-simulate joins component paths with it. */
function normalizeParts(parts: string[], absolute: boolean): string[] {
  const out: string[] = [];
  for (const part of parts) {
    if (!part || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(part);
  }
  return out;
}

export function normalize(input: string): string {
  const absolute = input.startsWith('/');
  const joined = normalizeParts(input.split('/'), absolute).join('/');
  return absolute ? `/${joined}` : joined || '.';
}

export function join(...parts: string[]): string {
  return normalize(parts.filter((part) => part.length > 0).join('/'));
}

export function dirname(input: string): string {
  const index = input.lastIndexOf('/');
  if (index < 0) return '.';
  return index === 0 ? '/' : input.slice(0, index);
}

export function basename(input: string, ext?: string): string {
  const base = input.slice(input.lastIndexOf('/') + 1);
  return ext && base.endsWith(ext) ? base.slice(0, -ext.length) : base;
}

export function extname(input: string): string {
  const base = basename(input);
  const index = base.lastIndexOf('.');
  return index > 0 ? base.slice(index) : '';
}

export function resolve(...parts: string[]): string {
  let resolved = '';
  for (let i = parts.length - 1; i >= 0 && !resolved.startsWith('/'); i--) {
    resolved = resolved ? `${parts[i]}/${resolved}` : (parts[i] ?? '');
  }
  return normalize(`/${resolved}`);
}

export function relative(from: string, to: string): string {
  const fromParts = resolve(from).split('/').filter(Boolean);
  const toParts = resolve(to).split('/').filter(Boolean);
  let common = 0;
  while (common < fromParts.length && common < toParts.length && fromParts[common] === toParts[common]) common++;
  return [...fromParts.slice(common).map(() => '..'), ...toParts.slice(common)].join('/');
}

export const isAbsolute = (input: string): boolean => input.startsWith('/');
export const sep = '/';
export const delimiter = ':';
export default { normalize, join, dirname, basename, extname, resolve, relative, isAbsolute, sep, delimiter };
