package io.cogflow.training.data;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The held-out split: some triples held out, every attribute and pair still trained on. */
class ClipDatasetTest {
    private final ClipDataset data = ClipDataset.standard();

    @Test
    void holdsOutAboutFifteenPercentAsDocumented() {
        assertThat(data.heldOutCount()).isEqualTo(24);
        assertThat(data.trainingCount()).isEqualTo(144);
        // pinned members of the documented list (docs/training-data.md)
        assertThat(data.heldOut(Shape.CIRCLE, Colour.RED, Motion.LEFT)).isTrue();
        assertThat(data.heldOut(Shape.CIRCLE, Colour.RED, Motion.RIGHT)).isFalse();
        assertThat(data.heldOut(Shape.STAR, Colour.CYAN, Motion.SHRINKING)).isFalse();
    }

    @Test
    void everyAttributeAndEveryPairAppearsInTraining() {
        Set<String> pairs = new HashSet<>();
        Set<Shape> shapes = EnumSet.noneOf(Shape.class);
        Set<Colour> colours = EnumSet.noneOf(Colour.class);
        Set<Motion> motions = EnumSet.noneOf(Motion.class);
        for (Shape s : Shape.values()) {
            for (Colour c : Colour.values()) {
                for (Motion m : Motion.values()) {
                    if (!data.heldOut(s, c, m)) {
                        shapes.add(s);
                        colours.add(c);
                        motions.add(m);
                        pairs.add(s + "/" + c);
                        pairs.add(s + "/" + m);
                        pairs.add(c + "/" + m);
                    }
                }
            }
        }
        assertThat(shapes).containsExactlyInAnyOrder(Shape.values());
        assertThat(colours).containsExactlyInAnyOrder(Colour.values());
        assertThat(motions).containsExactlyInAnyOrder(Motion.values());
        int n = Shape.values().length, k = Colour.values().length, j = Motion.values().length;
        assertThat(pairs).hasSize(n * k + n * j + k * j);
    }

    @Test
    void trainingStreamIsDeterministicAndNeverHeldOut() {
        Set<Background> backgrounds = EnumSet.noneOf(Background.class);
        Set<String> combos = new HashSet<>();
        for (long i = 0; i < 5000; i++) {
            ClipSpec spec = data.trainingClip(i);
            assertThat(data.heldOut(spec.shape(), spec.colour(), spec.motion())).as(spec.toString()).isFalse();
            assertThat(data.trainingClip(i)).isEqualTo(spec);
            backgrounds.add(spec.background());
            combos.add(spec.shape() + "/" + spec.colour() + "/" + spec.motion());
        }
        assertThat(backgrounds).containsExactlyInAnyOrder(Background.values());
        assertThat(combos).hasSize(144);
        assertThat(data.trainingClip(1).seed()).isNotEqualTo(data.trainingClip(2).seed());
    }

    @Test
    void heldOutClipsCoverEveryHeldOutTripleOnEveryBackground() {
        List<ClipSpec> clips = data.heldOutClips(4, 9);
        assertThat(clips).hasSize(24 * 4);
        assertThat(clips).allMatch(c -> data.heldOut(c.shape(), c.colour(), c.motion()));
        assertThat(clips.stream().map(ClipSpec::background).distinct()).hasSize(4);
        assertThat(data.heldOutClips(4, 9)).isEqualTo(clips);
        assertThat(data.heldOutClips(4, 10)).isNotEqualTo(clips);
    }
}
