package io.cogflow.schemas;

/**
 * A value that is not a decodable record of the expected type. The message is the reason, fit for
 * {@link DeadLetter#getError()}; the cause, if any, is the Avro or I/O exception behind it.
 */
public final class WireFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public WireFormatException(String reason) {
        super(reason);
    }

    public WireFormatException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
