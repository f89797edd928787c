// The evaluator of CloudFormation's intrinsic functions, shared with the organization demo (src/demo/cfn-eval.ts).
export * from '../../../src/demo/cfn-eval.js';
