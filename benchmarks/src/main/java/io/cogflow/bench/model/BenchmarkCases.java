package io.cogflow.bench.model;

import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.transformer.TransformerConfig;

import java.util.List;
import java.util.Map;

/** The configs the benchmark command knows by name. */
public final class BenchmarkCases {
    private BenchmarkCases() {
    }

    /**
     * {@code tiny-2b}: the CogVideoX-2B-family golden config (D 32, 2 layers) on its golden shape, 3×8×8 latents
     * and 12 text tokens. {@code mid}: D 512 (8 heads × 64), 8 layers, 4,096-dim text, 3×32×32 latents
     * (768 video tokens) + 226 text tokens = 994 tokens.
     */
    public static final Map<String, TransformerBenchmark.Case> PRESETS = Map.of(
            "tiny-2b", new TransformerBenchmark.Case("tiny-2b", TransformerConfig.from(ConfigJson.parse("""
                    {"num_attention_heads": 2, "attention_head_dim": 16, "in_channels": 4, "out_channels": 4,
                     "time_embed_dim": 32, "text_embed_dim": 32, "num_layers": 2, "max_text_seq_length": 12,
                     "sample_frames": 9, "sample_height": 8, "sample_width": 8}""")), 3, 8, 8, 12),
            "mid", new TransformerBenchmark.Case("mid", TransformerConfig.from(ConfigJson.parse("""
                    {"num_attention_heads": 8, "attention_head_dim": 64, "num_layers": 8,
                     "use_rotary_positional_embeddings": true}""")), 3, 32, 32, 226));

    public static List<String> names() {
        return List.of("tiny-2b", "mid");
    }
}
