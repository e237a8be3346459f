/**
 * The CloudBase emulator in its own process, for the cold-start bench and manual runs:
 *
 *   node <bundle of this file> [port]
 *
 * prints one line, `{"url":"http://127.0.0.1:PORT/admin"}`, then serves until killed. Point a
 * built function at it with `TCB_CONTEXT_CNFG={"URL":"<url>"}` (see cloudbase-emulator.ts).
 * Collections are created on first write here, since nothing provisions them in a bench.
 */
import { startCloudBaseEmulator } from './cloudbase-emulator';

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`not a port: ${process.argv[2]}`);
  const emulator = await startCloudBaseEmulator({ port, autoCreateCollections: true });
  process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
