package io.cogflow.job;

/** The wire contract's result status. */
public enum ResultStatus { SUCCEEDED, FAILED, REJECTED, EXPIRED }
