#!/usr/bin/env node
// The `waypoint` command: registers the TypeScript loader, then hands over to cli/main.ts.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
