// Runs the built dashboard in a process of its own for the integration tests: configuration comes
// from the environment the test passes, and the URL (port chosen by the OS) is printed as JSON.
import { startDashboard } from '../../../dashboard/start-dashboard.ts';

const running = await startDashboard({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
process.on('SIGTERM', () => {
  void running.close().finally(() => process.exit(0));
});
