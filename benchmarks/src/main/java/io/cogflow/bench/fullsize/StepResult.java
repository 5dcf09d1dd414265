package io.cogflow.bench.fullsize;

/**
 * One measured step of the full-size benchmark, measured inside the process that ran it.
 *
 * @param peakRssBytes the process's peak resident size during the step ({@code VmHWM}, reset at its start)
 * @param rssAfterBytes its resident size when the step ended
 * @param detail       what the step did, for the table (parameters, bytes, output shape)
 */
public record StepResult(String step, double seconds, long peakRssBytes, long rssAfterBytes, String detail) {
}
