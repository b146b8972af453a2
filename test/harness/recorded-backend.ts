// The recorded-response backend server of the integration suite (test/support/recordedBackend.ts),
// bundled for the plain-JS UI harness, which starts one before code-server for the terminal-link check.
export { startRecordedServer } from '../support/recordedBackend';
