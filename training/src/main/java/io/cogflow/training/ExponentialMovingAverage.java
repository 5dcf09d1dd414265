package io.cogflow.training;

/**
 * An exponential moving average: the loss shown while training, which reads as a trend where the per-step loss
 * jumps with each step's timestep.
 */
final class ExponentialMovingAverage {
    private final double weight;
    private double value = Double.NaN;

    /** @param weight the share of each new value, in (0, 1] */
    ExponentialMovingAverage(double weight) {
        if (!(weight > 0 && weight <= 1)) {
            throw new IllegalArgumentException("the weight of a moving average must be in (0, 1], got " + weight);
        }
        this.weight = weight;
    }

    /** Adds a value and returns the average (the first value is its own average). */
    double add(double x) {
        value = Double.isNaN(value) ? x : value + weight * (x - value);
        return value;
    }
}
