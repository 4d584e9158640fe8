import { NutshellError, ShapeError, tf, type Tensor, type Variable } from '@nutshell/tensor';
import { Activation } from './core/Activation.js';
import { LabelError } from './errors.js';
import { Dense } from './core/Dense.js';
import { Sequential } from './models/Sequential.js';
import type { ModelConfig } from './models/modelLike.js';
import { regularizers } from './regularizers.js';

/** Arguments of {@link LogisticRegression}. @public */
export interface LogisticRegressionArgs {
  /** Number of input features. */
  readonly features: number;
  /** Number of classes: 2 (default) is binary with a sigmoid; more is multinomial with a softmax. */
  readonly classes?: number;
  /** Names of the features, for `coefficients()` (default `x0`, `x1`, ...). */
  readonly featureNames?: readonly string[];
  /** Names of the classes (default `'0'`, `'1'`, ...). For binary models, class 1 is the positive class. */
  readonly classNames?: readonly string[];
  /** L2 penalty λ·Σw² on the weights (not the intercepts), default 0. */
  readonly l2?: number;
  /** Default `logistic_regression_N`. */
  readonly name?: string;
}

/** Options of `LogisticRegression.fit`. @public */
export interface LogisticFitOptions {
  /** Full-batch Adam steps (default 300). */
  readonly epochs?: number;
  /** Adam step size (default 0.05). */
  readonly learningRate?: number;
  /** Called after each step with its loss (read asynchronously). */
  readonly onEpoch?: (epoch: number, loss: number) => void;
}

/** One coefficient of a fitted logistic regression. @public */
export interface LogisticCoefficient {
  /** The feature's name. */
  readonly feature: string;
  /** The feature's index. */
  readonly featureIndex: number;
  /** The class whose log-odds (binary) or score (multinomial) the weight adds to. */
  readonly class: string;
  /** The weight: the change in log-odds for one unit more of the feature, all else equal. */
  readonly weight: number;
  /** e^weight: the factor by which the odds multiply for one unit more of the feature. */
  readonly oddsRatio: number;
}

/** What `coefficients()` returns. @public */
export interface LogisticCoefficients {
  /** The intercept of each output (one for a binary model). */
  readonly intercepts: { readonly class: string; readonly value: number }[];
  /** Every weight, by feature then class. */
  readonly coefficients: LogisticCoefficient[];
}

/**
 * Logistic regression: a single layer of units with a sigmoid (two classes) or softmax (more) output, the
 * simplest classifier and a neural network with no hidden layer. The probability of the positive class is
 * σ(x·w + b): each weight is the change in the log-odds for one unit of its feature, so `coefficients()` reads
 * as "this feature multiplies the odds by e^w". Train it with its own `fit` (full-batch Adam on the
 * cross-entropy), or with any trainer as a `Sequential` (its output is probabilities; `logits(x)` gives scores).
 *
 * @example
 * ```ts
 * const model = new LogisticRegression({ features: 2, featureNames: ['age', 'dose'] });
 * await model.fit(x, y, { epochs: 200 });
 * const { coefficients } = await model.coefficients();
 * ```
 * @public
 */
export class LogisticRegression extends Sequential {
  override readonly className: string = 'LogisticRegression';
  /** Number of input features. */
  readonly features: number;
  /** Number of classes (2 = binary). */
  readonly classes: number;
  /** Names of the features. */
  readonly featureNames: readonly string[];
  /** Names of the classes. */
  readonly classNames: readonly string[];
  /** The L2 penalty. */
  readonly l2: number;
  private readonly linear: Dense;

  constructor(args: LogisticRegressionArgs) {
    const classes = args.classes ?? 2;
    if (!Number.isInteger(args.features) || args.features < 1) throw new NutshellError(`LogisticRegression: features must be a positive integer, got ${args.features}.`);
    if (!Number.isInteger(classes) || classes < 2) throw new NutshellError(`LogisticRegression: classes must be an integer >= 2, got ${classes}.`);
    const l2 = args.l2 ?? 0;
    const linear = new Dense({
      units: classes === 2 ? 1 : classes,
      name: 'linear',
      kernelInitializer: 'zeros',
      ...(l2 > 0 ? { kernelRegularizer: regularizers.l2(l2) } : {}),
    });
    super([linear, new Activation({ activation: classes === 2 ? 'sigmoid' : 'softmax', name: 'link' })], {
      inputShape: [args.features],
      name: args.name ?? undefined,
    });
    this.linear = linear;
    this.features = args.features;
    this.classes = classes;
    this.l2 = l2;
    this.featureNames = args.featureNames ? [...args.featureNames] : Array.from({ length: args.features }, (_, i) => `x${i}`);
    this.classNames = args.classNames ? [...args.classNames] : Array.from({ length: classes }, (_, i) => String(i));
    if (this.featureNames.length !== args.features) {
      throw new NutshellError(`LogisticRegression: ${this.featureNames.length} featureNames for ${args.features} features.`);
    }
    if (this.classNames.length !== classes) throw new NutshellError(`LogisticRegression: ${this.classNames.length} classNames for ${classes} classes.`);
  }

  /** The scores before the sigmoid/softmax, `[n, 1]` (binary) or `[n, classes]`; the caller owns them. */
  logits(x: Tensor): Tensor {
    return tf.tidy(() => {
      this.apply(tf.slice(x, 0, Math.min(1, x.shape[0]))); // checks the shape
      return this.linear.apply(x);
    });
  }

  // Labels as a float32 vector, after checking (tensor or array alike) that each is a class index.
  private async labels(x: Tensor, y: Tensor | ArrayLike<number>): Promise<Tensor> {
    const n = x.shape[0];
    const values = y instanceof tf.Tensor ? await y.data() : Array.from(y as ArrayLike<number>);
    if (values.length !== n) {
      throw new ShapeError(`LogisticRegression '${this.name}'.fit`, [n], y instanceof tf.Tensor ? y.shape : [values.length], 'one label per example');
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isInteger(v) || v < 0 || v >= this.classes) {
        throw new LabelError(`LogisticRegression '${this.name}'.fit: label ${v} at row ${i} is not a class index in [0, ${this.classes}).`, i, v);
      }
    }
    return tf.tensor1d(Float32Array.from(values), 'float32');
  }

  /** The training loss (mean cross-entropy plus the L2 penalty) for labels `y`, as a scalar the caller owns. */
  loss(x: Tensor, y: Tensor): Tensor {
    return tf.tidy(() => {
      const z = this.linear.apply(x);
      let ce: Tensor;
      if (this.classes === 2) {
        // Binary cross-entropy from logits, stably: softplus(z) − y·z = max(z, 0) − y·z + ln(1 + e^−|z|).
        const zz = tf.reshape(z, [-1]);
        ce = tf.mean(tf.add(tf.sub(tf.relu(zz), tf.mul(y, zz)), tf.log1p(tf.exp(tf.neg(tf.abs(zz))))));
      } else {
        const onehot = tf.oneHot(tf.cast(y, 'int32'), this.classes);
        ce = tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(z)), -1)));
      }
      const reg = this.regularizationLoss();
      return reg ? tf.add(ce, reg) : ce;
    });
  }

  /**
   * Fits the weights by full-batch Adam on the cross-entropy (plus the L2 penalty). `y` holds class indices
   * (0/1 for binary). Returns the loss after each step. The loss is convex, so the result does not depend on
   * a seed. Leaks no tensors.
   */
  async fit(x: Tensor, y: Tensor | ArrayLike<number>, opts: LogisticFitOptions = {}): Promise<{ loss: number[] }> {
    const epochs = opts.epochs ?? 300;
    const lr = opts.learningRate ?? 0.05;
    tf.tidy(() => this.apply(tf.slice(x, 0, Math.min(1, x.shape[0])))).dispose(); // shape check
    const labels = await this.labels(x, y);
    const vars = this.linear.weights.map((w) => w.variable);
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    let m: Tensor[] = vars.map((v) => tf.zerosLike(v));
    let s: Tensor[] = vars.map((v) => tf.zerosLike(v));
    const history: number[] = [];
    try {
      for (let epoch = 1; epoch <= epochs; epoch++) {
        const [lossValue, m2, s2] = tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => this.loss(x, labels) as tf.Scalar, vars);
          const nm: Tensor[] = [];
          const ns: Tensor[] = [];
          vars.forEach((v: Variable, i) => {
            const g = grads[v.name];
            nm.push(tf.add(tf.mul(b1, m[i]), tf.mul(1 - b1, g)));
            ns.push(tf.add(tf.mul(b2, s[i]), tf.mul(1 - b2, tf.square(g))));
            const mhat = tf.div(nm[i], 1 - b1 ** epoch);
            const shat = tf.div(ns[i], 1 - b2 ** epoch);
            v.assign(tf.sub(v, tf.mul(lr, tf.div(mhat, tf.add(tf.sqrt(shat), eps)))));
          });
          return [value, nm, ns] as [Tensor, Tensor[], Tensor[]];
        });
        tf.dispose([m, s]);
        m = m2;
        s = s2;
        const l = (await lossValue.data())[0];
        lossValue.dispose();
        history.push(l);
        opts.onEpoch?.(epoch, l);
      }
    } finally {
      tf.dispose([m, s, labels]);
    }
    return { loss: history };
  }

  /** Predicted class indices. */
  async predictClasses(x: Tensor): Promise<Int32Array> {
    const cls = tf.tidy(() => {
      const p = this.predict(x, { batchSize: 1024 });
      return this.classes === 2 ? tf.cast(tf.greater(tf.reshape(p, [-1]), 0.5), 'int32') : tf.argMax(p, -1);
    });
    const out = new Int32Array(await cls.data());
    cls.dispose();
    return out;
  }

  /** The fraction of examples whose predicted class is `y`. */
  async accuracy(x: Tensor, y: ArrayLike<number>): Promise<number> {
    const pred = await this.predictClasses(x);
    if (pred.length !== y.length) throw new ShapeError(`LogisticRegression '${this.name}'.accuracy`, [pred.length], [y.length], 'one label per example');
    let right = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === y[i]) right++;
    return right / pred.length;
  }

  /**
   * The fitted weights by name, with their odds ratios e^w. For a binary model, e^w is the factor by which the
   * odds of the positive class (class 1) multiply per unit of the feature. For a multinomial model, the
   * weights are per class and only their differences are identified: the odds of class k over class l multiply
   * by e^(w_k − w_l).
   */
  async coefficients(): Promise<LogisticCoefficients> {
    const [kernel, bias] = await Promise.all(this.linear.weights.map((w) => w.variable.data()));
    const units = this.classes === 2 ? 1 : this.classes;
    const cls = (j: number) => (this.classes === 2 ? this.classNames[1] : this.classNames[j]);
    const coefficients: LogisticCoefficient[] = [];
    for (let i = 0; i < this.features; i++) {
      for (let j = 0; j < units; j++) {
        const w = kernel[i * units + j];
        coefficients.push({ feature: this.featureNames[i], featureIndex: i, class: cls(j), weight: w, oddsRatio: Math.exp(w) });
      }
    }
    return { intercepts: Array.from({ length: units }, (_, j) => ({ class: cls(j), value: bias[j] })), coefficients };
  }

  /** `{ className: 'LogisticRegression', name, features, classes, featureNames, classNames, l2 }`. */
  override getConfig(): ModelConfig {
    return {
      className: this.className,
      name: this.name,
      features: this.features,
      classes: this.classes,
      featureNames: [...this.featureNames],
      classNames: [...this.classNames],
      l2: this.l2,
    };
  }
}
