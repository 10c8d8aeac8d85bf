// Runs the built dashboard (dashboard/build, from `npm run build`) on a node:http server in this
// process; the `waypoint dashboard` command and the integration tests call startDashboard().
//
// Origin and CSRF: SvelteKit refuses form POSTs whose Origin header differs from the URL it thinks
// it is served at. adapter-node takes that URL from ORIGIN, or else builds it from the Host header
// and a protocol header it defaults to https, which would break sign-in on plain http. So unless the
// operator set ORIGIN or PROTOCOL_HEADER (the adapter's own variables, for a TLS proxy in front),
// this server tells the adapter the protocol it really speaks (http) in a header it sets on every
// request, and the origin follows the Host header: http://127.0.0.1:3000 and http://localhost:3000
// both work, while a cross-site form still fails the check (its Origin is another site).
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface StartDashboardOptions {
  host: string;
  port: number;
  /** The adapter-node output to serve; defaults to dashboard/build next to this file. */
  buildDir?: string;
}

export interface RunningDashboard {
  /** Where the dashboard answers, e.g. http://127.0.0.1:3000 (the real port when 0 was asked for). */
  url: string;
  close(): Promise<void>;
}

export class DashboardBuildMissingError extends Error {
  override name = 'DashboardBuildMissingError';
  constructor(readonly buildDir: string) {
    super(`The dashboard has not been built: ${buildDir} has no handler.js. Run \`npm run build\` first.`);
  }
}

type Handler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

const PROTOCOL_HEADER = 'x-waypoint-listener-protocol';
const DEFAULT_BUILD_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'build');

async function loadHandler(buildDir: string): Promise<Handler> {
  const file = path.join(buildDir, 'handler.js');
  if (!existsSync(file)) throw new DashboardBuildMissingError(buildDir);
  const module: unknown = await import(pathToFileURL(file).href);
  const handler = (module as { handler?: unknown } | null)?.handler;
  if (typeof handler !== 'function') throw new Error(`${file} does not export a request handler; rebuild with \`npm run build\``);
  return handler as Handler;
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startDashboard(options: StartDashboardOptions): Promise<RunningDashboard> {
  const buildDir = path.resolve(options.buildDir ?? DEFAULT_BUILD_DIR);
  // adapter-node reads its settings when handler.js is first imported, so decide before that.
  const tellProtocol = process.env.ORIGIN === undefined && process.env.PROTOCOL_HEADER === undefined;
  if (tellProtocol) process.env.PROTOCOL_HEADER = PROTOCOL_HEADER;
  const handler = await loadHandler(buildDir);

  const server = createServer((req, res) => {
    // Always overwritten, so a client cannot choose the protocol the origin check uses.
    if (tellProtocol) req.headers[PROTOCOL_HEADER] = 'http';
    handler(req, res, () => {
      res.statusCode = 404;
      res.end('Not Found');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the dashboard server is not listening on a TCP port');

  return {
    url: `http://${hostForUrl(options.host)}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
