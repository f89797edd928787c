// Setup of the mutation run: every fast-check property runs from one fixed seed (those that name their own
// seed keep it), so a mutant is killed or survives the same way on every run and scores do not move.
import fc from 'fast-check';

export const MUTATION_RUN_SEED = 20_261_202;

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: MUTATION_RUN_SEED });
