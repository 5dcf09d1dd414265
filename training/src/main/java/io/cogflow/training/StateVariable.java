package io.cogflow.training;

import org.tensorflow.Operand;

/**
 * A float32 resource variable a training run must save to resume exactly (a weight or an optimiser moment).
 *
 * @param key   unique name in the checkpoint
 * @param shape TF-side shape
 */
public record StateVariable(String key, Operand<?> handle, long[] shape) {
}
