// Small process-level helpers for the CLI: stdin, passwords, waiting for Ctrl-C.
import { randomBytes } from 'node:crypto';

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** 18 random bytes as base64url: 24 characters, about 144 bits. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Resolves on the first SIGINT or SIGTERM. */
export function waitForShutdown(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
