// The training contract (TrainableModel, ModelWeight) is declared once, in @nutshell/layers' models/modelLike.ts,
// beside ModelLike, which extends it; the Trainer takes any object that has these members.
export type { TrainableModel, ModelWeight } from '@nutshell/layers';
