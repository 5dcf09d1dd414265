package io.cogflow.model.export;

import java.util.Arrays;
import java.util.Locale;

/**
 * The three kinds of signature an exported model has, named as in configs ({@code model.xla}): the kind decides
 * how its graph is run (XLA or not, which device), because the kinds differ in what is fast — XLA fuses the
 * transformer's thousands of small ops, while the VAE's convolutions are faster on oneDNN than on XLA:CPU.
 */
public enum SignatureKind {
    ENCODE_TEXT("encode_text"),
    DENOISE("denoise"),
    DECODE("decode");

    private final String configName;

    SignatureKind(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The kind of a signature scope: {@code encode_text}, {@code denoise_WxHxF}, {@code decode_WxHxF}. */
    public static SignatureKind ofScope(String scope) {
        if (scope.equals(ModelManifest.ENCODE_TEXT)) {
            return ENCODE_TEXT;
        }
        if (scope.startsWith("denoise_")) {
            return DENOISE;
        }
        if (scope.startsWith("decode_")) {
            return DECODE;
        }
        throw new IllegalArgumentException("not a signature scope of a cogflow model: " + scope);
    }

    /** {@code encode_text}, {@code denoise} or {@code decode}; anything else is refused with the accepted names. */
    public static SignatureKind parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.configName.equals(n)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown signature kind '" + name + "': use "
                        + Arrays.stream(values()).map(SignatureKind::configName).toList()));
    }
}
