// The collector as a real process for fault tests and the ingest benchmark: the same startCollector
// the `waypoint collector` command runs, without loading the rest of the CLI. Configured by env.
import { loadConfig } from '../../config/env.ts';
import { startCollector } from '../../collector/main.ts';

const collector = await startCollector(loadConfig());
process.stderr.write(`collector listening on ${collector.url}\n`);
const signal = await new Promise<NodeJS.Signals>((resolve) => {
  process.once('SIGTERM', resolve);
  process.once('SIGINT', resolve);
});
process.stderr.write(`${signal}: draining\n`);
await collector.close();
process.exit(0);
