/**
 * An SMTP server in a process of its own, as a school's mail server would be: it reads each message
 * to the end, counts it and throws it away (no parsing). Writing "count" to its stdin makes it print
 * how many it has received and when the last one arrived (epoch ms).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';

const SINK_SOURCE = `
const { SMTPServer } = require(${JSON.stringify(createRequire(import.meta.url).resolve('smtp-server'))});
let count = 0;
let last = 0;
const server = new SMTPServer({
  authOptional: true, disabledCommands: ['STARTTLS'], logger: false, maxClients: 1000,
  onData(stream, session, callback) { stream.on('data', () => {}); stream.on('end', () => { count += 1; last = Date.now(); callback(); }); },
});
server.listen(0, '127.0.0.1', () => process.stdout.write('PORT ' + server.server.address().port + '\\n'));
process.stdin.on('data', (d) => { if (String(d).includes('count')) process.stdout.write('COUNT ' + count + ' ' + last + '\\n'); });
`;

export type CountingSink = { url: string; host: string; port: number; count(): Promise<number>; received(): Promise<{ count: number; lastAt: number }>; close(): void };

/** `prefix`: e.g. ['taskset', '-c', '1'] to run the sink on a given core. */
export async function startCountingSink(prefix: string[] = []): Promise<CountingSink> {
  const [cmd, ...args] = [...prefix, process.execPath, '-e', SINK_SOURCE];
  const child: ChildProcessWithoutNullStreams = spawn(cmd!, args, { stdio: 'pipe' });
  let buffer = '';
  const waiters: ((line: string) => void)[] = [];
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      waiters.shift()?.(line);
    }
  });
  const nextLine = () => new Promise<string>((resolve) => waiters.push(resolve));
  const port = Number((await nextLine()).replace('PORT ', ''));
  const received = async () => {
    const line = nextLine();
    child.stdin.write('count\n');
    const [, count, lastAt] = (await line).split(' ');
    return { count: Number(count), lastAt: Number(lastAt) };
  };
  return {
    url: `smtp://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    received,
    count: async () => (await received()).count,
    close: () => child.kill(),
  };
}
