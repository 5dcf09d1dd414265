package io.cogflow.model.checkpoint;

/** A checkpoint that cannot be used as it is: missing file, missing or mis-shaped tensor, unreadable header. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
