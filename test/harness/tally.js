// Counts checks from every phase into one total; CI reads the closing `N passed, N failed` line.
'use strict';

class Tally {
  constructor() {
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
    this.failures = [];
  }

  pass(name, ms) {
    this.passed++;
    console.log(`  ok    ${name}${took(ms)}`);
  }

  fail(name, err, ms) {
    this.failed++;
    const message = err instanceof Error ? err.message : String(err);
    this.failures.push({ name, message });
    console.log(`  FAIL  ${name}${took(ms)}\n        ${message.split('\n').join('\n        ')}`);
  }

  skip(name, why) {
    this.skipped++;
    console.log(`  skip  ${name}${why ? ` (${why})` : ''}`);
  }

  /** Runs one check; a failure is recorded, not thrown, so later independent checks still run. */
  async check(name, fn) {
    const t0 = Date.now();
    try {
      await fn();
      this.pass(name, Date.now() - t0);
      return true;
    } catch (err) {
      this.fail(name, err, Date.now() - t0);
      return false;
    }
  }

  summary() {
    return `${this.passed} passed, ${this.failed} failed`;
  }
}

function took(ms) {
  return ms === undefined ? '' : ` (${(ms / 1000).toFixed(1)} s)`;
}

/** Times a phase and prints its duration; returns what fn returns. */
async function phase(name, timings, fn) {
  const t0 = Date.now();
  console.log(`\n=== ${name}`);
  try {
    return await fn();
  } finally {
    const s = (Date.now() - t0) / 1000;
    timings.push({ name, seconds: s });
    console.log(`=== ${name}: ${s.toFixed(1)} s`);
  }
}

module.exports = { Tally, phase };
