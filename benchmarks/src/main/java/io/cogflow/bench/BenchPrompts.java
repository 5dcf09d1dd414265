package io.cogflow.bench;

/** Captions in the demo model's language, cycled by the serving benchmarks (their cost does not depend on them). */
final class BenchPrompts {
    private static final String[] PROMPTS = {
            "a red circle moving left on a black background", "a blue square growing on a white background",
            "a green triangle moving up on a gray background", "a yellow star shrinking on a black background",
            "a purple circle moving right on a gray background", "a orange square moving down on a black background",
    };

    private BenchPrompts() {
    }

    static String get(int i) {
        return PROMPTS[Math.floorMod(i, PROMPTS.length)];
    }
}
