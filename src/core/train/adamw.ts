import * as tf from '@tensorflow/tfjs';

export interface AdamWConfig {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

export const ADAMW_DEFAULTS: AdamWConfig = { beta1: 0.9, beta2: 0.999, epsilon: 1e-6, weightDecay: 0.01 };

/** BERT practice: no weight decay on biases and LayerNorm parameters. */
export function decays(name: string): boolean {
  return !(name.endsWith('.bias') || name.includes('LayerNorm'));
}

/**
 * AdamW (decoupled weight decay, Loshchilov & Hutter) over named variables. tfjs's own Adam has no
 * decoupled decay, and its state is not addressable by name, which checkpoints need.
 */
export class AdamW {
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();
  step = 0;

  constructor(
    private readonly params: Map<string, tf.Variable>,
    readonly config: AdamWConfig = ADAMW_DEFAULTS,
  ) {
    for (const [name, p] of params) {
      // A variable keeps its own reference to the data: the zeros it starts from must be freed, or
      // every optimizer leaves two tensors per parameter behind after dispose().
      const [mZeros, vZeros] = [tf.zerosLike(p), tf.zerosLike(p)];
      this.m.set(name, tf.variable(mZeros, false, `adamw.m.${name}#${p.id}`));
      this.v.set(name, tf.variable(vZeros, false, `adamw.v.${name}#${p.id}`));
      tf.dispose([mZeros, vZeros]);
    }
  }

  /** One update with gradients keyed by parameter name, at learning rate `lr`. */
  apply(grads: Map<string, tf.Tensor>, lr: number): void {
    this.step++;
    const { beta1, beta2, epsilon, weightDecay } = this.config;
    const c1 = 1 - beta1 ** this.step;
    const c2 = 1 - beta2 ** this.step;
    tf.tidy(() => {
      for (const [name, p] of this.params) {
        const g = grads.get(name);
        if (!g) continue;
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        m.assign(m.mul(beta1).add(g.mul(1 - beta1)));
        v.assign(v.mul(beta2).add(g.square().mul(1 - beta2)));
        const update = m.div(c1).div(v.div(c2).sqrt().add(epsilon));
        const decayed = decays(name) ? p.mul(1 - lr * weightDecay) : p;
        p.assign(decayed.sub(update.mul(lr)));
      }
    });
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}

/** Linear warm-up to the peak rate, then linear decay to zero at the last step. */
export function learningRate(step: number, peak: number, warmup: number, total: number): number {
  if (warmup > 0 && step < warmup) return (peak * (step + 1)) / warmup;
  return peak * Math.max(0, (total - step) / Math.max(1, total - warmup));
}
