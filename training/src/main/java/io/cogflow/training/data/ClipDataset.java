package io.cogflow.training.data;

import io.cogflow.model.random.SplitMix64;

import java.util.ArrayList;
import java.util.List;

/**
 * The train / held-out split over (colour, shape, motion) combinations, for measuring compositional
 * generalisation: the model sees every colour, shape and motion — and every pair of them — in training, but 24 of
 * the 168 triples (14.3 %) only at evaluation time.
 *
 * <p>The rule: a triple is held out iff {@code (colour + 2·shape + 3·motion) mod 7 == 0} over the enum ordinals.
 * With 7 colours this is a Latin-square-like design: every (shape, motion) pair holds out exactly one of its 7
 * colours, every (colour, shape) pair at most one of its 6 motions, every (colour, motion) pair at most one of its
 * 4 shapes — so no pair is ever missing from training. Backgrounds are never held out. The ordinals (the declared
 * enum order) are therefore part of the contract; {@code docs/training-data.md} lists the resulting triples.
 */
public final class ClipDataset {
    private static final ClipDataset STANDARD = new ClipDataset(ObjectSizes.STANDARD);
    private static final ClipDataset LARGE = new ClipDataset(ObjectSizes.LARGE);

    private final ObjectSizes objects;
    private final List<Combination> training = new ArrayList<>();
    private final List<Combination> heldOut = new ArrayList<>();

    private record Combination(Shape shape, Colour colour, Motion motion) {}

    private ClipDataset(ObjectSizes objects) {
        this.objects = objects;
        for (Shape s : Shape.values()) {
            for (Colour c : Colour.values()) {
                for (Motion m : Motion.values()) {
                    (rule(s, c, m) ? heldOut : training).add(new Combination(s, c, m));
                }
            }
        }
    }

    /** The dataset with standard object sizes (the first demo models'). */
    public static ClipDataset standard() {
        return STANDARD;
    }

    /**
     * The dataset whose shapes are drawn at {@code objects}; captions, the split and the stream of combinations,
     * backgrounds and seeds are the same for every choice.
     */
    public static ClipDataset of(ObjectSizes objects) {
        return switch (objects) {
            case STANDARD -> STANDARD;
            case LARGE -> LARGE;
        };
    }

    public ObjectSizes objects() {
        return objects;
    }

    private static boolean rule(Shape s, Colour c, Motion m) {
        return (c.ordinal() + 2 * s.ordinal() + 3 * m.ordinal()) % 7 == 0;
    }

    public boolean heldOut(Shape s, Colour c, Motion m) {
        return rule(s, c, m);
    }

    /**
     * The index-th training spec of an endless deterministic stream: a hash of the index picks a training
     * combination and a background uniformly, and the seed for the rest. Random access, so data loaders can shard
     * by index range without coordination.
     */
    public ClipSpec trainingClip(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        SplitMix64 rng = new SplitMix64(SplitMix64.mix(index ^ 0x7261696E696E67L)); // "raining": a fixed stream salt
        Combination c = training.get(rng.nextInt(training.size()));
        Background b = Background.values()[rng.nextInt(Background.values().length)];
        return new ClipSpec(c.shape(), c.colour(), c.motion(), b, objects, rng.nextLong());
    }

    /**
     * {@code perCombination} specs for every held-out triple, cycling through the backgrounds so each background
     * is equally represented; seeds derive from {@code seed}, the triple and the repeat.
     */
    public List<ClipSpec> heldOutClips(int perCombination, long seed) {
        if (perCombination < 0) {
            throw new IllegalArgumentException("perCombination must be >= 0, got " + perCombination);
        }
        List<ClipSpec> out = new ArrayList<>(heldOut.size() * perCombination);
        Background[] backgrounds = Background.values();
        for (int i = 0; i < heldOut.size(); i++) {
            Combination c = heldOut.get(i);
            for (int k = 0; k < perCombination; k++) {
                long clipSeed = SplitMix64.mix(seed ^ SplitMix64.mix(i * 1_000_003L + k));
                out.add(new ClipSpec(c.shape(), c.colour(), c.motion(), backgrounds[(i + k) % backgrounds.length],
                        objects, clipSeed));
            }
        }
        return out;
    }

    /** Number of held-out (colour, shape, motion) triples. */
    public int heldOutCount() {
        return heldOut.size();
    }

    /** Number of training (colour, shape, motion) triples. */
    public int trainingCount() {
        return training.size();
    }
}
