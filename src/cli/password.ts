// Reads a new password from standard input: a hidden prompt asked twice on a terminal,
// the first line when piped (so scripts and `echo … |` work). Never from an argument,
// which would land in the shell history and the process list.
import { CliError } from './errors.ts';

export async function readNewPassword(label: string): Promise<string> {
  if (process.stdin.isTTY) {
    const first = await promptHidden(`Password for ${label}: `);
    const second = await promptHidden('Repeat the password: ');
    if (first !== second) throw new CliError('the two passwords do not match');
    return first;
  }
  const text = await readAll(process.stdin);
  if (!text.length) throw new CliError('no password on standard input (pipe one line, or run in a terminal to be asked)');
  return text.split('\n')[0].replace(/\r$/, '');
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  // Echo goes off before the prompt shows, so nothing typed after it is ever echoed.
  stdin.setRawMode(true);
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (fn: () => void) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      fn();
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(() => resolve(typed));
        if (ch === '\u0003') return finish(() => reject(new CliError('cancelled')));
        if (ch === '\u007f' || ch === '\b') typed = Array.from(typed).slice(0, -1).join('');
        else if (ch >= ' ') typed += ch;
      }
    };
    stdin.resume();
    stdin.on('data', onData);
  });
}
