#!/usr/bin/env node
// Installs what is missing, so that `npm start` and `npm test` work on a fresh machine:
// npm packages (when node_modules is absent or older than package-lock.json) and, with --browser,
// Debian's Chromium for the browser tests (installed with apt-get when running as root).
// Uses only Node's standard library: it runs before anything is installed.
import { execSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wantBrowser = process.argv.includes('--browser');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function fail(message) {
  console.error(`setup: ${message}`);
  process.exit(1);
}

function run(command, args) {
  console.error(`setup: ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) fail(`"${command} ${args.join(' ')}" failed with status ${r.status}`);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js ${process.versions.node} is too old: install Node.js 20.19 or newer`);

// npm packages: reinstall when the lockfile differs from the one node_modules was installed from.
const lock = path.join(root, 'package-lock.json');
const stamp = path.join(root, 'node_modules', '.polyglot-lock-sha256');
const lockHash = crypto.createHash('sha256').update(fs.readFileSync(lock)).digest('hex');
const installed = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : '';
if (installed !== lockHash) {
  run('npm', ['ci', '--no-audit', '--no-fund']);
  fs.writeFileSync(stamp, `${lockHash}\n`);
}

if (wantBrowser && !fs.existsSync(CHROMIUM)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let hasApt = false;
  try {
    execSync('command -v apt-get', { stdio: 'ignore', shell: '/bin/sh' });
    hasApt = true;
  } catch {
    hasApt = false;
  }
  if (isRoot && hasApt) {
    run('apt-get', ['update', '-qq']);
    // The Noto fonts let the review screenshots show CJK, Indic, Thai and Arabic text instead of boxes.
    run('apt-get', ['install', '-y', '-qq', 'chromium', 'chromium-driver', 'libvulkan1', 'fonts-noto-core', 'fonts-noto-cjk']);
  } else {
    fail(
      `the browser tests need Debian's Chromium at ${CHROMIUM}. Install it with:\n` +
        '  sudo apt-get install -y chromium chromium-driver libvulkan1 fonts-noto-core fonts-noto-cjk\n' +
        'or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  if (!fs.existsSync(CHROMIUM)) fail(`Chromium is still missing at ${CHROMIUM} after installing`);
}
