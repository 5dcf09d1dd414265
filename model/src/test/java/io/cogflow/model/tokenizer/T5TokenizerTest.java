package io.cogflow.model.tokenizer;

import io.cogflow.model.testing.Golden;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The T5 input convention on top of the SentencePiece ids, loading, and errors. */
class T5TokenizerTest {
    private static final String PROMPT = "A panda plays a guitar in a forest 4k";
    private static T5Tokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = T5Tokenizer.load(Golden.path("spm_tiny/spiece.model"));
    }

    @Test
    void cogVideoXLengthIsIdsThenEosThenPadding() {
        int[] ids = tokenizer.ids(PROMPT);
        long[] input = tokenizer.encode(PROMPT, T5Tokenizer.COGVIDEOX_MAX_LENGTH);
        assertThat(input).hasSize(226);
        for (int i = 0; i < ids.length; i++) {
            assertThat(input[i]).isEqualTo(ids[i]);
        }
        assertThat(input[ids.length]).isEqualTo(tokenizer.eosId()).isEqualTo(1);
        assertThat(Arrays.copyOfRange(input, ids.length + 1, 226)).containsOnly((long) tokenizer.padId());
        assertThat(tokenizer.padId()).isZero();
    }

    @Test
    void aVeryLongTextIsTruncatedNotRejected() {
        Random random = new Random(5);
        String[] words = {"panda", "guitar", "forest", "red", "circle", "moving", "left", "the", "a", "sunset"};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append(words[random.nextInt(words.length)]).append(i % 17 == 0 ? ",  " : " ");
        }
        int[] ids = tokenizer.ids(text.toString());
        assertThat(ids.length).isGreaterThan(2000);
        long[] input = tokenizer.encode(text.toString(), 226);
        assertThat(input).hasSize(226);
        for (int i = 0; i < 225; i++) {
            assertThat(input[i]).isEqualTo(ids[i]);
        }
        assertThat(input[225]).isEqualTo(1);
    }

    @Test
    void emptyAndBlankTextsAreEosThenPadding() {
        long[] expected = new long[226];
        expected[0] = 1;
        assertThat(tokenizer.encode("", 226)).containsExactly(expected);
        assertThat(tokenizer.encode(" \t\n  ", 226)).containsExactly(expected);
        assertThat(tokenizer.ids("   ")).isEmpty();
    }

    @Test
    void exactFitKeepsEveryIdAndMaxLengthOneIsOnlyEos() {
        int[] ids = tokenizer.ids(PROMPT);
        long[] exact = tokenizer.encode(PROMPT, ids.length + 1);
        assertThat(exact[ids.length - 1]).isEqualTo(ids[ids.length - 1]);
        assertThat(exact[ids.length]).isEqualTo(1);
        assertThat(tokenizer.encode(PROMPT, 1)).containsExactly(1L);
        assertThatThrownBy(() -> tokenizer.encode(PROMPT, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void batchRowsEqualSingleEncodings() {
        List<String> texts = List.of(PROMPT, "", "a BLUE   star, spinning!");
        long[][] batch = tokenizer.encodeBatch(texts, 16);
        assertThat(batch).hasNumberOfRows(3);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(batch[i]).containsExactly(tokenizer.encode(texts.get(i), 16));
        }
    }

    @Test
    void typedControlPiecesAreTextNotSpecialIds() {
        assertThat(tokenizer.ids("</s> <pad>")).doesNotContain(tokenizer.eosId(), tokenizer.padId());
    }

    @Test
    void loadsFromAModelFolderOrACheckpointTokenizerFolder(@TempDir Path dir) throws IOException {
        Path tokenizerDir = Files.createDirectories(dir.resolve("tokenizer"));
        Files.copy(Golden.path("spm_tiny/spiece.model"), tokenizerDir.resolve("spiece.model"));
        for (Path p : List.of(dir, tokenizerDir)) {
            assertThat(T5Tokenizer.load(p).ids(PROMPT)).containsExactly(tokenizer.ids(PROMPT));
        }
        assertThat(T5Tokenizer.load(Golden.path("spm_tiny")).vocabSize()).isEqualTo(136);
    }

    @Test
    void missingOrCorruptModelsNameTheFile(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope.model");
        assertThatThrownBy(() -> T5Tokenizer.load(missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString())
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> T5Tokenizer.load(dir))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("no spiece.model");
        Path corrupt = dir.resolve("spiece.model");
        byte[] real = Files.readAllBytes(Golden.path("spm_tiny/spiece.model"));
        Files.write(corrupt, Arrays.copyOf(real, 700));
        assertThatThrownBy(() -> T5Tokenizer.load(corrupt))
                .isInstanceOf(TokenizerException.class).hasMessageContaining(corrupt.toString());
    }

    @Test
    void unsupportedModelTypesAndByteFallbackAreRefused() {
        for (ProtoWriter trainer : List.of(new ProtoWriter().varint(3, 2), new ProtoWriter().varint(35, 1))) {
            ProtoWriter proto = new ProtoWriter()
                    .message(1, ProtoWriter.piece("<unk>", 0f, PieceType.UNKNOWN))
                    .message(1, ProtoWriter.piece("</s>", 0f, PieceType.CONTROL))
                    .message(1, ProtoWriter.piece("a", -1f, PieceType.NORMAL))
                    .message(2, trainer);
            SentencePieceModel model = SentencePieceModel.parse(proto.toByteArray(), "other.model");
            assertThatThrownBy(() -> T5Tokenizer.of(model)).isInstanceOf(TokenizerException.class)
                    .hasMessageContaining("other.model").hasMessageContaining("unsupported");
        }
    }

    @Test
    void aCorruptCharsmapNamesTheFile() {
        ProtoWriter proto = new ProtoWriter()
                .message(1, ProtoWriter.piece("<unk>", 0f, PieceType.UNKNOWN))
                .message(1, ProtoWriter.piece("</s>", 0f, PieceType.CONTROL))
                .message(1, ProtoWriter.piece("a", -1f, PieceType.NORMAL))
                .message(3, new ProtoWriter().string(1, "nmt_nfkc").bytes(2, new byte[] {(byte) 0xff, 0, 0, 0, 1}));
        SentencePieceModel model = SentencePieceModel.parse(proto.toByteArray(), "charsmap.model");
        assertThatThrownBy(() -> T5Tokenizer.of(model)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("charsmap.model").hasMessageContaining("charsmap");
    }
}
