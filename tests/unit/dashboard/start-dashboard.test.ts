// startDashboard refuses to run without a build, and says how to make one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DashboardBuildMissingError, startDashboard } from '../../../dashboard/start-dashboard.ts';

describe('startDashboard', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fails with "run npm run build" when the build directory has no handler', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'waypoint-no-build-'));
    const start = startDashboard({ host: '127.0.0.1', port: 0, buildDir: dir });
    await expect(start).rejects.toBeInstanceOf(DashboardBuildMissingError);
    await expect(start).rejects.toThrow(/npm run build/);
  });
});
