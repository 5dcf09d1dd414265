package io.cogflow.model.export;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which signature kinds TensorFlow compiles with XLA when a model is loaded for serving. The default is what
 * {@code cogflow bench xla} measured faster on the CPU (docs/benchmarks.md, "XLA per signature"): {@code denoise}
 * only — XLA fuses the transformer's per-op overhead away, but its CPU convolutions make {@code decode} several
 * times slower than oneDNN, and {@code encode_text} runs once per batch.
 */
public record XlaSignatures(Set<SignatureKind> kinds) {
    public static final XlaSignatures DEFAULT = new XlaSignatures(EnumSet.of(SignatureKind.DENOISE));
    public static final XlaSignatures NONE = new XlaSignatures(EnumSet.noneOf(SignatureKind.class));

    public XlaSignatures {
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    }

    /** From config names ({@code [denoise, decode]}); an empty list is no XLA at all. */
    public static XlaSignatures of(List<String> names) {
        Set<SignatureKind> kinds = EnumSet.noneOf(SignatureKind.class);
        for (String n : names) {
            if (!kinds.add(SignatureKind.parse(n))) {
                throw new IllegalArgumentException("signature kind '" + n + "' is listed twice");
            }
        }
        return new XlaSignatures(kinds);
    }

    public boolean compiles(SignatureKind kind) {
        return kinds.contains(kind);
    }

    /** The config names, in the enum's order (for logs and the bench output). */
    public List<String> names() {
        return EnumSet.allOf(SignatureKind.class).stream().filter(kinds::contains).map(SignatureKind::configName)
                .collect(Collectors.toList());
    }
}
