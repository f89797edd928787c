// CDK's Fn::Join on '' as the Fn::Sub a template reader expects: the same text once evaluated, one variable per distinct expression.
import { describe, expect, it } from 'vitest';
import { joinsToSubs } from '../../src/infra/templates/sub.js';
import { evaluate } from './support/cfn-eval.js';

describe('joinsToSubs', () => {
  it('names an expression used twice once, and the Sub evaluates to the text of the Join', () => {
    // Prepare
    const take = { 'Fn::ImportValue': 'TakeArn' };
    const check = { 'Fn::ImportValue': 'CheckArn' };
    const join = { 'Fn::Join': ['', ['{"a":"', take, '","b":"', check, '","c":"', take, '"}']] };
    const deployment = { imports: { TakeArn: 'arn:take', CheckArn: 'arn:check' } };
    // Act
    const sub = joinsToSubs(join);
    // Assess
    expect(sub).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a JS template
      'Fn::Sub': ['{"a":"${Part1}","b":"${Part2}","c":"${Part1}"}', { Part1: take, Part2: check }],
    });
    expect(evaluate({}, sub, deployment)).toBe(evaluate({}, join, deployment));
    expect(evaluate({}, sub, deployment)).toBe('{"a":"arn:take","b":"arn:check","c":"arn:take"}');
  });
});
