/**
 * The SMTP sink in a process of its own: `tsx bench/support/smtp-sink-process.ts` prints its URL
 * on one line and runs until killed. A school's mail server is not inside Gatepost's process, so a
 * benchmark that measures the server's own work should not pay for parsing what it sends.
 */
import { spawn } from 'node:child_process';
import { startSmtpSink } from '../../src/platform/channels/smtp-sink.ts';

if (process.argv[1]?.endsWith('smtp-sink-process.ts')) {
  const sink = await startSmtpSink(0);
  process.stdout.write(`${sink.url}\n`);
  process.on('SIGTERM', () => void sink.close().then(() => process.exit(0)));
}

/** Start the sink process; resolves with its URL and a stop function. */
export async function startSinkProcess(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/support/smtp-sink-process.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!.trim());
    });
    child.on('exit', (code) => reject(new Error(`The SMTP sink process stopped (${code})`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}
