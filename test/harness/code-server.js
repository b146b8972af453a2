// Installs and runs code-server: the real VS Code workbench and extension host, served to a browser.
// @vscode/test-electron downloads VS Code at test time, which these machines cannot do; code-server
// comes from npm. Recipe and reasons: ../shared/guides/real-vscode-in-ci.md (also summarised below).
'use strict';
const { spawn, spawnSync, execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** 4.101+ needs Node 22; pin the last release that runs on Node 20. */
const CODE_SERVER_VERSION = '4.100.3';
const INSTALL_DIR = path.join(REPO_ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const BIN = path.join(INSTALL_DIR, 'node_modules', '.bin', 'code-server');
/** The VS Code inside code-server; its node_modules appear only if the postinstall ran. */
const VSCODE_DIR = path.join(INSTALL_DIR, 'node_modules', 'code-server', 'lib', 'vscode');

const RIPGREP_CACHE_VERSION = '1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

function isInstalled() {
  return fs.existsSync(BIN) && fs.existsSync(path.join(VSCODE_DIR, 'node_modules'));
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache holds the archive; a tar.gz
 * with Debian's rg at its root is accepted, so the install works with only the npm registry reachable.
 */
function seedRipgrepCache() {
  const cache = path.join(os.tmpdir(), `vscode-ripgrep-cache-${RIPGREP_CACHE_VERSION}`);
  const archive = path.join(cache, RIPGREP_ASSET);
  if (fs.existsSync(archive)) return;
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep (rg) is not installed; run: apt-get install -y ripgrep');
  fs.mkdirSync(cache, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-rg-'));
  fs.copyFileSync(rg, path.join(tmp, 'rg'));
  fs.chmodSync(path.join(tmp, 'rg'), 0o755);
  execFileSync('tar', ['czf', archive, '-C', tmp, 'rg']);
  fs.rmSync(tmp, { recursive: true, force: true });
}

/** Installs code-server into .vscode-test/ (git-ignored) unless it is already there. Returns the binary. */
function ensureInstalled({ log = console.log } = {}) {
  if (isInstalled()) return BIN;
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h') && !fs.existsSync('/usr/include/krb5.h')) {
    log('warning: libkrb5-dev headers not found; VS Code\'s kerberos module may fail to build (apt-get install -y libkrb5-dev)');
  }
  seedRipgrepCache();
  fs.mkdirSync(INSTALL_DIR, { recursive: true });
  // Its own package.json, so npm installs here instead of walking up to the repository's.
  fs.writeFileSync(path.join(INSTALL_DIR, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }) + '\n');
  log(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(REPO_ROOT, INSTALL_DIR)} (about a minute)...`);
  const logFile = path.join(INSTALL_DIR, 'install.log');
  const out = fs.openSync(logFile, 'w');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: INSTALL_DIR,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      // The postinstall refuses to run as root without this; node-pty's `npx node-gyp` waits for a "yes".
      npm_config_unsafe_perm: 'true',
      npm_config_yes: 'true',
    },
  });
  fs.closeSync(out);
  if (r.status !== 0 || !isInstalled()) {
    const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    throw new Error(`code-server install failed (exit ${r.status}); last lines of ${logFile}:\n${tail}`);
  }
  return BIN;
}

/** A port the OS says is free right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves to true when something answers on 127.0.0.1:port (used to pick a fallback port). */
function portInUse(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(0);
    });
  });
}

/** Settings that keep first-run noise (welcome page, trust prompt, tips, surveys) off the screen. */
const QUIET_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'window.commandCenter': false,
  'window.restoreWindows': 'none',
};

/**
 * Starts code-server on 127.0.0.1 with a fresh user-data-dir and extensions-dir (in a temp dir).
 * `env` reaches the extension host (it inherits the server's environment).
 * Returns { port, baseUrl, tmp, userDataDir, extensionsDir, logFile, url(), writeSettings(), stop() }.
 */
async function startCodeServer({ workspace, env = {}, settings = {}, port, extensionsDir, log = console.log, quiet = true } = {}) {
  const bin = ensureInstalled({ log });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-cs-'));
  const userDataDir = path.join(tmp, 'user');
  const extDir = extensionsDir ?? path.join(tmp, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extDir, { recursive: true });
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  const writeSettings = (extra) => fs.writeFileSync(settingsFile, JSON.stringify({ ...QUIET_SETTINGS, ...settings, ...extra }, null, 2));
  writeSettings({});

  const chosenPort = port ?? (await freePort());
  const logFile = path.join(tmp, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${chosenPort}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--extensions-dir', extDir,
    '--user-data-dir', userDataDir,
  ];
  if (workspace) args.push(workspace);
  // detached: the server becomes the leader of its own process group, so stop() can end it and the
  // extension hosts it spawned, by that group's id, without touching anything else.
  const child = spawn(bin, args, {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', quiet ? out : 'inherit', quiet ? out : 'inherit'],
    env: { ...process.env, ...env },
  });
  fs.closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  const baseUrl = `http://127.0.0.1:${chosenPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}); log:\n${tailOf(logFile)}`);
    if ((await httpStatus(`${baseUrl}/healthz`)) === 200) break;
    if (Date.now() > deadline) {
      killGroup(child.pid, 'SIGKILL');
      throw new Error(`code-server did not answer on ${baseUrl} within 60 s; log:\n${tailOf(logFile)}`);
    }
    await sleep(250);
  }

  /** Workbench URL; `payload` entries are VS Code's [name, value] pairs (see guide section 4). */
  const url = ({ folder = workspace, payload = [] } = {}) => {
    const q = new URLSearchParams();
    if (folder) q.set('folder', folder);
    if (payload.length) q.set('payload', JSON.stringify(payload));
    return `${baseUrl}/?${q.toString()}`;
  };
  /** `vscode-remote://` URI of a local path: the form extensionDevelopmentPath/extensionTestsPath need. */
  const remoteUri = (p) => `vscode-remote://127.0.0.1:${chosenPort}${path.resolve(p)}`;

  const stop = async ({ keepTmp = false } = {}) => {
    if (!exited) {
      killGroup(child.pid, 'SIGTERM');
      const until = Date.now() + 5000;
      while (!exited && Date.now() < until) await sleep(100);
      if (!exited) killGroup(child.pid, 'SIGKILL');
    }
    // Extension hosts may outlive the server briefly; their group is the server's.
    killGroup(child.pid, 'SIGKILL');
    if (!keepTmp) fs.rmSync(tmp, { recursive: true, force: true });
  };

  return { port: chosenPort, baseUrl, tmp, userDataDir, extensionsDir: extDir, logFile, pid: child.pid, url, remoteUri, writeSettings, stop, hasExited: () => !!exited };
}

/** Installs a .vsix into an extensions dir with code-server's own CLI (no server needed). */
function installVsix(vsix, extensionsDir) {
  const bin = ensureInstalled();
  const r = spawnSync(bin, ['--install-extension', vsix, '--extensions-dir', extensionsDir, '--force'], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return (r.stdout + r.stderr).trim();
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

function tailOf(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

module.exports = { CODE_SERVER_VERSION, INSTALL_DIR, REPO_ROOT, ensureInstalled, startCodeServer, installVsix, freePort, portInUse, sleep, tailOf };
