import { UsageError } from '../errors.js';
import type { Recipe } from './recipe.js';
import { logregCancer } from './logregCancer.js';
import { mnistMlp } from './mnistMlp.js';
import { mnistCnn } from './mnistCnn.js';
import { mnistInception } from './mnistInception.js';
import { mnistLstm } from './mnistLstm.js';

/** Every recipe `nutshell train` knows, by name. */
export const RECIPES: ReadonlyMap<string, Recipe> = new Map(
  [logregCancer, mnistMlp, mnistCnn, mnistInception, mnistLstm].map((r) => [r.name, r]),
);

/** The recipe with this name, or a usage error listing the known ones. */
export function getRecipe(name: string): Recipe {
  const recipe = RECIPES.get(name);
  if (!recipe)
    throw new UsageError(`unknown recipe '${name}'. Choose one of: ${[...RECIPES.keys()].join(', ')}.`);
  return recipe;
}

export type { Recipe, RecipeData, RecipeDefaults } from './recipe.js';
