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

/** The entry whose `###` heading names the action (a heading may name several). */
function entryOf(fn: string, action: string): string | null {
  const entries = sectionOf(fn).split('\n### ').slice(1);
  return entries.find((entry) => entry.split('\n')[0]!.includes(`\`${action}\``)) ?? null;
}

const ACTIONS = Object.entries(FUNCTIONS).flatMap(([fn, def]) =>
  Object.keys(def.actions).map((action) => [fn, action]),
);

test.each(ACTIONS)('%s.%s has its entry', (fn, action) => {
  expect(entryOf(fn, action)).not.toBeNull();
});

test.each(ACTIONS.filter(([fn]) => ['user', 'verify', 'cards'].includes(fn!)))(
  '%s.%s lists request, response and errors',
  (fn, action) => {
    const entry = entryOf(fn, action)!;
    expect(entry).toMatch(/- request:/);
    expect(entry).toMatch(/- response:/);
    expect(entry).toMatch(/- errors:/);
  },
);
