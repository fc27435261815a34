/** The `gatehouse` command's entry point (bundled into gatehouse.mjs). */
import { run } from './program';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 9)) {
  process.stderr.write(`gatehouse needs Node.js 20.9 or later (this is ${process.versions.node}).\n`);
  process.exit(1);
}

// A reader that stops early (`gatehouse accounts | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await run(
  process.argv.slice(2),
  {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTty: process.stdin.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    pickerOutput: process.stderr,
    pickerInput: process.stdin,
    env: process.env,
    platform: process.platform,
    now: Date.now,
  },
  process.argv[1],
);
