// Trace and run comparison (issue 11): see types.ts for the API and its conventions.
export * from './types';
export { classifySpanChange, diffTraces } from './traceDiff';
export { classifyGroupChange, diffRuns, functionGroup, operationGroup, runGroups, summaryFromNs } from './runDiff';
export { operationKey, siteKey } from '../source/stats';
