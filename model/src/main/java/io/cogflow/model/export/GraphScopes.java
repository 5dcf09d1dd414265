package io.cogflow.model.export;

/** Name scopes of an exported graph: the first segment of a node name ({@code denoise_64x64x17/...}). */
final class GraphScopes {
    /**
     * The variables of the text encoder ({@code ModelExporter} builds them under this namespace, and
     * {@code ModelVariables} puts their handles, reads and casts below it).
     */
    static final String TEXT_ENCODER_WEIGHTS = "text_encoder";

    private GraphScopes() {
    }

    static String topScope(String nodeName) {
        int slash = nodeName.indexOf('/');
        return slash < 0 ? nodeName : nodeName.substring(0, slash);
    }
}
