// @nutshell/layers: layers, models, logistic regression and weights I/O.

// The layer abstraction
export { Layer } from './layer.js';
export type { ApplyOptions, LayerWeight, LayerConfig, LayerArgs, AddWeightOptions } from './layer.js';
export type { Shape, LayerInputShape } from './shape.js';
export { SymbolicTensor } from './symbolic.js';
export { registerLayer, registeredLayers, layerFromConfig } from './registry.js';
export { UnknownLayerError, LayerStateError, WeightsMismatchError, LabelError } from './errors.js';

// Initializers and regularizers
export { initializers, getInitializer, registerInitializer, computeFans } from './initializers.js';
export type { Initializer, InitializerSpec, InitializerName, SeedOptions } from './initializers.js';
export { regularizers, getRegularizer } from './regularizers.js';
export type { Regularizer, RegularizerSpec } from './regularizers.js';

// Layers
export { InputLayer, input } from './core/Input.js';
export type { InputLayerArgs } from './core/Input.js';
export { Dense } from './core/Dense.js';
export type { DenseArgs } from './core/Dense.js';
export { Activation } from './core/Activation.js';
export type { ActivationArgs } from './core/Activation.js';
export { Dropout } from './core/Dropout.js';
export type { DropoutArgs } from './core/Dropout.js';
export { Flatten } from './core/Flatten.js';
export { Reshape } from './core/Reshape.js';
export type { ReshapeArgs } from './core/Reshape.js';
export { BatchNormalization } from './core/BatchNormalization.js';
export type { BatchNormalizationArgs } from './core/BatchNormalization.js';
export { LayerNormalization } from './core/LayerNormalization.js';
export type { LayerNormalizationArgs } from './core/LayerNormalization.js';
export { Maxout } from './core/Maxout.js';
export type { MaxoutArgs } from './core/Maxout.js';
export { Concatenate, Add, Multiply, ElementwiseMerge } from './core/merge.js';
export type { ConcatenateArgs } from './core/merge.js';

// Models
export type { ModelLike, ModelConfig, PredictOptions, LayerOutput, TrainableModel, ModelWeight } from './models/modelLike.js';
export { Sequential } from './models/Sequential.js';
export type { SequentialArgs } from './models/Sequential.js';
export { Model } from './models/Model.js';
export type { ModelArgs, GraphNodeConfig } from './models/Model.js';
export { modelFromConfig, registerModel } from './models/fromConfig.js';

// Testing a layer (shape, weights, config, save/load, gradients, leaks)
export { runLayerTest, LayerTestError } from './testing/layerTest.js';
export type { LayerTestSpec, LayerTestReport, ExpectedWeight } from './testing/layerTest.js';

// Linear algebra of networks
export { collapseLinear, NotLinearError } from './collapseLinear.js';

// Weights I/O (safetensors)
export { encodeSafetensors, decodeSafetensors, SafetensorsError } from './io/safetensors.js';
export type { SafetensorsDtype, SafetensorsData, SafetensorsTensor, DecodeSafetensorsOptions } from './io/safetensors.js';
export { modelToBytes, modelFromBytes, loadWeights, setModelWeights, modelFromConfigAndWeights } from './io/weights.js';
export { saveModel, loadModel } from './io/node.js';

// tfjs-layers models (model.json + weight shards) brought in
export { modelFromTfjs, loadTfjsModel, TfjsModelError, TFJS_MAPPED_LAYERS } from './io/tfjsModel.js';
export type { TfjsModelJson, TfjsWeightSpec } from './io/tfjsModel.js';

// Logistic regression
export { LogisticRegression } from './logisticRegression.js';
export type { LogisticRegressionArgs, LogisticFitOptions, LogisticCoefficient, LogisticCoefficients } from './logisticRegression.js';
