// What every member account gets from the organization's StackSet: its status reader role, the account
// template's capabilities, and how an operation of the StackSet rolls out.
/**
 * The read-only role each member account's stack makes for `status --organization`, and the vault's
 * status-reader stack too. IAM is global and a stack set deploys one stack per region of an account, so each
 * region's stack makes its own role, named after its region.
 */
export const STATUS_READER_ROLE = (region: string): string => `AuroraSnapshotTool-StatusReader-${region}`;

/** The capabilities the account template needs: it names its status reader role (one per region). */
export const ACCOUNT_TEMPLATE_CAPABILITIES = ['CAPABILITY_NAMED_IAM'] as const;

/**
 * How a StackSet operation of the account template rolls out (UpdateStackSet, CreateStackInstances): every
 * region at once, a quarter of a region's accounts at a time, and a failure in some accounts does not slow or
 * stop the others until a tenth of a region's accounts have failed (a systematic mistake then stops early instead
 * of failing everywhere). AWS's defaults (one account at a time, one region after another, the first failure
 * stops the region) would take hours over an organization and leave accounts unprotected behind one broken one.
 * Automatic deployment to accounts that join does not use these (AWS applies none to it).
 */
export const STACK_SET_ROLLOUT = {
  regionConcurrencyType: 'PARALLEL',
  maxConcurrentPercentage: 25,
  failureTolerancePercentage: 10,
  concurrencyMode: 'SOFT_FAILURE_TOLERANCE',
} as const;
