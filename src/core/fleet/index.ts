// The fleet view: every account and region of an organization read once, gathered into one report of the protected clusters, the clusters no policy covers and the places that could not be read.
export * from './fleet-observation.js';
export * from './fleet-problems.js';
export * from './fleet-report.js';
export * from './member-stacks.js';
