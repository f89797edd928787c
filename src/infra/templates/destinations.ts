/**
 * The destination slots of the source-cluster template. Slot 1 is the original's DestinationRegion,
 * DestinationAccount and KmsKeyDestination; slots 2 to 5 are Destination<N>Region, Destination<N>Account and
 * Destination<N>KmsKey. With slot 1 alone the state machine input keeps the one-item form, so a stack updated
 * without the new parameters runs exactly as before; with more, the input carries the list `Destinations`.
 */
import {
  Aws,
  CfnCondition,
  type CfnParameter,
  CfnRule,
  Fn,
  type ICfnRuleConditionExpression,
  type Stack,
  Token,
} from 'aws-cdk-lib';
import { MAX_DESTINATIONS } from '../../config/schema.js';
import type { InputField } from './json-input.js';
import { addParameterSpec, destinationSlotParameters, isSet } from './parameters.js';

/** Slots of the template: one per item Source.Destinations may have. */
export const DESTINATION_SLOTS = MAX_DESTINATIONS;

/** One slot's parameters and the conditions that they are set. */
interface Slot {
  readonly n: number;
  readonly region: CfnParameter;
  readonly account: CfnParameter;
  readonly key: CfnParameter;
  readonly hasRegion: CfnCondition;
  readonly hasAccount: CfnCondition;
  readonly hasKey: CfnCondition;
}

/** Slot 1: the original's parameters, already in the template with their conditions. */
export type FirstSlot = Omit<Slot, 'n'>;

/** The name of slot `n`'s parameter `field` (slot 1: the original's names). */
export function slotParameterName(n: number, field: 'Region' | 'Account' | 'KmsKey'): string {
  if (n === 1) {
    return { Region: 'DestinationRegion', Account: 'DestinationAccount', KmsKey: 'KmsKeyDestination' }[field];
  }
  return `Destination${n}${field}`;
}

/** A parameter whose allowed values exclude the seed's `None` is set when not empty. */
function notEmpty(stack: Stack, id: string, parameter: CfnParameter): CfnCondition {
  return new CfnCondition(stack, id, {
    expression: Fn.conditionNot(Fn.conditionEquals(parameter.valueAsString, '')),
  });
}

const empty = (p: CfnParameter): ICfnRuleConditionExpression => Fn.conditionEquals(p.valueAsString, '');
const noKey = (p: CfnParameter): ICfnRuleConditionExpression =>
  Fn.conditionContains(['', 'None'], p.valueAsString);

/**
 * Adds slots 2 to 5 (parameters, conditions, the rules CloudFormation checks before anything is created)
 * and returns the input's text of every destination: the one-item form's fields when only slot 1 is used,
 * else `Destinations`.
 */
export function addDestinationSlots(stack: Stack, first: FirstSlot): InputField {
  const slots: Slot[] = [{ n: 1, ...first }];
  for (let n = 2; n <= DESTINATION_SLOTS; n++) {
    const specs = destinationSlotParameters(n);
    const region = addParameterSpec(stack, slotParameterName(n, 'Region'), specs.Region);
    const account = addParameterSpec(stack, slotParameterName(n, 'Account'), specs.Account);
    const key = addParameterSpec(stack, slotParameterName(n, 'KmsKey'), specs.KmsKey);
    slots.push({
      n,
      region,
      account,
      key,
      hasRegion: notEmpty(stack, `HasDestination${n}Region`, region),
      hasAccount: notEmpty(stack, `HasDestination${n}Account`, account),
      hasKey: isSet(stack, `HasDestination${n}KmsKey`, key),
    });
  }
  const more = slots.slice(1);
  const hasMore = new CfnCondition(stack, 'HasMoreDestinations', {
    expression: Fn.conditionOr(...more.map((s) => s.hasRegion)),
  });

  new CfnRule(stack, 'MoreDestinationsNeedTheFirst', {
    ruleCondition: Fn.conditionNot(Fn.conditionAnd(...more.map((s) => empty(s.region)))),
    assertions: [
      {
        assert: Fn.conditionOr(Fn.conditionNot(empty(first.region)), Fn.conditionNot(empty(first.account))),
        assertDescription:
          'DestinationRegion (or DestinationAccount), destination 1, is required with Destination2Region to Destination5Region',
      },
    ],
  });
  new CfnRule(stack, 'EachDestinationNeedsItsRegion', {
    assertions: more.map((s) => ({
      assert: Fn.conditionOr(
        Fn.conditionNot(empty(s.region)),
        Fn.conditionAnd(empty(s.account), noKey(s.key)),
      ),
      assertDescription: `${slotParameterName(s.n, 'Region')} is required with ${slotParameterName(s.n, 'Account')} or ${slotParameterName(s.n, 'KmsKey')}`,
    })),
  });
  const optionalText = (has: CfnCondition, key: string, value: string): string =>
    Token.asString(Fn.conditionIf(has.logicalId, Fn.join('', [`,"${key}":"`, value, '"']), ''));
  const item = (s: Slot, region: string): string =>
    Fn.join('', [
      '{"Region":"',
      region,
      '"',
      optionalText(s.hasAccount, 'Account', s.account.valueAsString),
      optionalText(s.hasKey, 'KmsKeyDestination', s.key.valueAsString),
      '}',
    ]);
  // Slot 1 without DestinationRegion is a share in place: its region is the stack's.
  const firstRegion = Token.asString(
    Fn.conditionIf(first.hasRegion.logicalId, first.region.valueAsString, Aws.REGION),
  );
  const list = Fn.join('', [
    '[',
    item(slots[0] as Slot, firstRegion),
    ...more.map((s) =>
      Token.asString(
        Fn.conditionIf(s.hasRegion.logicalId, Fn.join('', [',', item(s, s.region.valueAsString)]), ''),
      ),
    ),
    ']',
  ]);
  const oneItem = Fn.join('', [
    optionalText(first.hasRegion, 'DestinationRegion', first.region.valueAsString),
    optionalText(first.hasAccount, 'DestinationAccount', first.account.valueAsString),
    optionalText(first.hasKey, 'KmsKeyDestination', first.key.valueAsString),
  ]);
  return {
    key: 'Destinations',
    fragment: true,
    value: Token.asString(
      Fn.conditionIf(hasMore.logicalId, Fn.join('', [',"Destinations":', list]), oneItem),
    ),
  };
}
