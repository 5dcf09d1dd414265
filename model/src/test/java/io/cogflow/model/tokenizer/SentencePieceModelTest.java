package io.cogflow.model.tokenizer;

import io.cogflow.model.testing.Golden;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

/** The protobuf reading of {@code spiece.model}: vocabulary, scores, types, special ids, normaliser spec. */
class SentencePieceModelTest {

    @Test
    void readsTheGoldenModelLikeItsVocabFile() throws IOException {
        SentencePieceModel model = SentencePieceModel.read(Golden.path("spm_tiny/spiece.model"));
        List<String> vocab = Files.readAllLines(Golden.path("spm_tiny/spiece.vocab"));
        assertThat(model.size()).isEqualTo(vocab.size()).isEqualTo(136);
        for (int id = 0; id < vocab.size(); id++) {
            String[] cols = vocab.get(id).split("\t");
            assertThat(model.piece(id)).isEqualTo(cols[0]);
            // the .vocab file prints six significant digits
            assertThat(model.score(id)).as(cols[0]).isCloseTo(Float.parseFloat(cols[1]), withinPercentage(1e-3));
        }
        assertThat(model.padId()).isZero();
        assertThat(model.eosId()).isEqualTo(1);
        assertThat(model.unkId()).isEqualTo(2);
        assertThat(model.bosId()).isEqualTo(-1);
        assertThat(model.type(2)).isEqualTo(PieceType.UNKNOWN);
        assertThat(model.type(1)).isEqualTo(PieceType.CONTROL);
        assertThat(model.type(3)).isEqualTo(PieceType.NORMAL);
        assertThat(model.modelType()).isEqualTo(SentencePieceModel.ModelType.UNIGRAM);
        assertThat(model.normalizer().name()).isEqualTo("nmt_nfkc");
        assertThat(model.normalizer().precompiledCharsmap()).hasSizeGreaterThan(1000);
        assertThat(model.normalizer().addDummyPrefix()).isTrue();
        assertThat(model.normalizer().removeExtraWhitespaces()).isTrue();
    }

    @Test
    void specialIdsComeFromTheTrainerSpec() {
        ProtoWriter proto = new ProtoWriter()
                .message(1, ProtoWriter.piece("a", -1f, PieceType.NORMAL))
                .message(1, ProtoWriter.piece("[eos]", 0f, PieceType.CONTROL))
                .message(1, ProtoWriter.piece("[pad]", 0f, PieceType.CONTROL))
                .message(1, ProtoWriter.piece("[unk]", 0f, PieceType.UNKNOWN))
                .message(2, new ProtoWriter().varint(40, 3).varint(41, -1).varint(42, 1).varint(43, 2)
                        .float32(10, 0.9995f).string(2, "prefix"))
                .message(3, new ProtoWriter().string(1, "identity").varint(3, 0).varint(4, 0).varint(5, 1));
        SentencePieceModel model = SentencePieceModel.parse(proto.toByteArray(), "test");
        assertThat(model.size()).isEqualTo(4);
        assertThat(model.unkId()).isEqualTo(3);
        assertThat(model.eosId()).isEqualTo(1);
        assertThat(model.padId()).isEqualTo(2);
        assertThat(model.bosId()).isEqualTo(-1);
        assertThat(model.normalizer().addDummyPrefix()).isFalse();
        assertThat(model.normalizer().removeExtraWhitespaces()).isFalse();
        assertThat(model.normalizer().escapeWhitespaces()).isTrue();
        assertThat(model.normalizer().precompiledCharsmap()).isEmpty();
    }

    @Test
    void withoutTrainerIdsTheConventionalPiecesAreUsed() {
        ProtoWriter proto = new ProtoWriter()
                .message(1, ProtoWriter.piece("<unk>", 0f, PieceType.UNKNOWN))
                .message(1, ProtoWriter.piece("<pad>", 0f, PieceType.CONTROL))
                .message(1, ProtoWriter.piece("</s>", 0f, PieceType.CONTROL))
                .message(1, ProtoWriter.piece("\u2581a", -1f, PieceType.NORMAL));
        SentencePieceModel model = SentencePieceModel.parse(proto.toByteArray(), "test");
        assertThat(model.unkId()).isZero();
        assertThat(model.padId()).isEqualTo(1);
        assertThat(model.eosId()).isEqualTo(2);
        assertThat(model.normalizer().addDummyPrefix()).isTrue();
    }

    @Test
    void unknownIdMustNameTheUnknownPiece() {
        ProtoWriter proto = new ProtoWriter()
                .message(1, ProtoWriter.piece("<unk>", 0f, PieceType.UNKNOWN))
                .message(1, ProtoWriter.piece("</s>", 0f, PieceType.CONTROL))
                .message(2, new ProtoWriter().varint(40, 1));
        assertThatThrownBy(() -> SentencePieceModel.parse(proto.toByteArray(), "bad.model"))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("bad.model").hasMessageContaining("unk_id 1");
    }

    @Test
    void truncatedOrForeignBytesAreRejectedWithTheSourceName() throws IOException {
        byte[] real = Files.readAllBytes(Golden.path("spm_tiny/spiece.model"));
        byte[] truncated = java.util.Arrays.copyOf(real, real.length / 2);
        assertThatThrownBy(() -> SentencePieceModel.parse(truncated, "half.model"))
                .isInstanceOf(TokenizerException.class).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("half.model").hasMessageContaining("not a SentencePiece model");
        byte[] json = "{\"model\": {\"type\": \"Unigram\"}}".getBytes();
        assertThatThrownBy(() -> SentencePieceModel.parse(json, "tokenizer.json"))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("tokenizer.json");
        assertThatThrownBy(() -> SentencePieceModel.parse(new byte[0], "empty.model"))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("no pieces");
    }
}
