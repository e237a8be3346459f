/**
 * The CloudBase emulator in a process of its own (cloudbase-emulator-main.ts, bundled with esbuild
 * into `dir`): what the cold-start bench points built functions at, and what its own test checks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';

export interface EmulatorProcess {
  url: string;
  child: ChildProcess;
}

/** `root`: the repository (a bundled caller, such as a bench, is not where its source was). */
export async function startEmulatorProcess(
  dir: string,
  root = path.resolve(__dirname, '..', '..'),
): Promise<EmulatorProcess> {
  const outfile = path.join(dir, 'emulator.js');
  await build({
    entryPoints: [path.join(root, 'test', 'helpers', 'cloudbase-emulator-main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
  });
  const child = spawn(process.execPath, [outfile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('\n')) resolve(output.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited (${code})`)));
  });
  return { url: (JSON.parse(line) as { url: string }).url, child };
}
