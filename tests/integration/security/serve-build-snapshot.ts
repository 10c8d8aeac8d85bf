// Runs a snapshot of the built dashboard (its directory is the first argument) for the security
// tests, printing its URL as JSON like tests/integration/dashboard/serve-dashboard.ts. A snapshot,
// because a rebuild of dashboard/build while a long test runs replaces the chunk files a running
// server still loads lazily (ERR_MODULE_NOT_FOUND, answered as 500).
import { startDashboard } from '../../../dashboard/start-dashboard.ts';

const buildDir = process.argv[2];
if (!buildDir) throw new Error('usage: serve-build-snapshot.ts <build dir>');
const running = await startDashboard({ host: '127.0.0.1', port: 0, buildDir });
process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
process.on('SIGTERM', () => {
  void running.close().finally(() => process.exit(0));
});
