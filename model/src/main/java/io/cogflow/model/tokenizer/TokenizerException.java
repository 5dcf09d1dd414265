package io.cogflow.model.tokenizer;

/**
 * A tokenizer model that cannot be used: missing or corrupt {@code spiece.model}, or a SentencePiece feature we
 * do not reproduce. An {@link IllegalArgumentException} because the caller handed us an unusable file.
 */
public class TokenizerException extends IllegalArgumentException {
    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
