package io.cogflow.model.export;

import java.util.Locale;

/**
 * Where the text encoder ({@code encode_text} and the T5 weights) runs. T5-XXL is 4.76 B parameters (19 GB in
 * float32); it runs once per batch, so on a GPU it can give its memory to the transformer and run on the host.
 */
public enum TextEncoderDevice {
    /** Where TensorFlow places the rest of the model: the session's GPU when it has one, else the CPU. */
    MODEL("model"),
    /** Always the host CPU: the T5 weights never take accelerator memory. */
    CPU("cpu");

    private final String configName;

    TextEncoderDevice(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static TextEncoderDevice parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (TextEncoderDevice d : values()) {
            if (d.configName.equals(n)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown text encoder device '" + name + "': use model (with the rest "
                + "of the model) or cpu");
    }
}
