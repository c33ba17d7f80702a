// The real server in a child process (node --import tsx src/server.ts, or compiled), and a small cookie-
// keeping HTTP client that signs in and posts forms the way a browser does. Used by the crash,
// shutdown and soak tests; everything stays on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { multipartBody } from './hotline.ts';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_PASSWORD = 'crash-test-demo-password';

export interface ServerChild {
  proc: ChildProcess;
  base: string;
  /** Everything the server wrote, for failure messages. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string | null>;
}

/**
 * Starts the server on a free port and resolves once it listens. `script` is the TypeScript
 * entry (run under tsx) unless a compiled .js entry is named, which plain node runs.
 */
export function startServer(env: Record<string, string>, opts: { timeoutMs?: number; script?: string } = {}): Promise<ServerChild> {
  const script = opts.script ?? 'src/server.ts';
  const proc = spawn(process.execPath, script.endsWith('.js') ? [script] : ['--import', 'tsx', script], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      DEMO_DATA: '1',
      DEMO_PASSWORD,
      RATE_LIMIT_PER_MINUTE: '1000000',
      // A busy test machine must not turn the writes under test into 503s; the soak script
      // turns shedding back on when run on its own.
      OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let listening = false;
  const exited = new Promise<number | string | null>((resolve) => proc.on('exit', (code, signal) => resolve(signal ?? code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not start in time:\n${out}`));
    }, opts.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      // Request logs of a long run would pile up: keep the head (startup) and a recent tail.
      out = out.length > 200_000 ? out.slice(0, 20_000) + '\n…\n' + out.slice(-100_000) + chunk.toString() : out + chunk.toString();
      const m = listening ? null : /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        listening = true;
        clearTimeout(timer);
        resolve({ proc, base: m[1], output: () => out, exited });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${out}`));
    });
  });
}

export interface Response {
  status: number;
  location: string;
  body: string;
}

/** A browser-like client: keeps cookies, never follows redirects, adds the CSRF token to forms. */
export class Client {
  private cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly base: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string | string[]>, file?: { filename: string; content: Buffer }): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.cookieHeader() };
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (file) {
      const multipart = multipartBody([['_csrf', this.csrf], ...Object.entries(form ?? {}).flatMap(([k, v]) => [v].flat().map((x): [string, string] => [k, x]))], file);
      body = new Uint8Array(multipart.body);
      headers['content-type'] = multipart.contentType;
    } else if (form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries({ _csrf: this.csrf, ...form })) for (const x of [v].flat()) params.append(k, x);
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(this.base + url, { method, headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, location: res.headers.get('location') ?? '', body: await res.text() };
  }

  get(url: string) {
    return this.request('GET', url);
  }

  post(url: string, form: Record<string, string | string[]>) {
    return this.request('POST', url, form);
  }

  /** Uploads a file as multipart/form-data, the CSRF token in the field before it. */
  upload(url: string, file: { filename: string; content: Buffer }, form?: Record<string, string | string[]>) {
    return this.request('POST', url, form, file);
  }

  /** Signs in through the login form; afterwards forms carry the session's CSRF token. */
  async signIn(username: string, password: string): Promise<void> {
    const page = await this.get('/login');
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const res = await this.post('/login', { username, password });
    if (res.status !== 303) throw new Error(`sign-in as ${username} answered ${res.status}`);
    const account = await this.get('/account');
    const token = /name="_csrf" value="([^"]+)"/.exec(account.body)?.[1];
    if (!token) throw new Error(`no CSRF token on /account for ${username}`);
    this.csrf = token;
  }
}
