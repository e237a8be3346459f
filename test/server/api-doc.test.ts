/** docs/api.md stays in step with the action tables: every action of every function has its section. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FUNCTIONS } from '../../server/functions';

const doc = readFileSync(path.resolve(__dirname, '../../docs/api.md'), 'utf8');

function sectionOf(fn: string): string {
  const start = doc.indexOf(`\n## \`${fn}\``);
  if (start < 0) return '';
  const next = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, next < 0 ? undefined : next);
}

test.each(Object.entries(FUNCTIONS).flatMap(([fn, def]) => Object.keys(def.actions).map((action) => [fn, action])))(
  '%s.%s is documented with request, response and errors',
  (fn, action) => {
    const section = sectionOf(fn);
    const start = section.indexOf(`### \`${action}\``);
    expect(start).toBeGreaterThanOrEqual(0);
    const end = section.indexOf('\n### ', start + 1);
    const entry = section.slice(start, end < 0 ? undefined : end);
    expect(entry).toMatch(/- request:/);
    expect(entry).toMatch(/- response:/);
    expect(entry).toMatch(/- errors:/);
  },
);
