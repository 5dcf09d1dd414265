package io.cogflow.bench.corpus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CorpusFileTest {
    @TempDir
    Path dir;

    @Test
    void readsKeysValuesExpectsAndNames() throws Exception {
        Path f = Files.writeString(dir.resolve("c.jsonl"), """
                # a comment
                {"name": "one", "key_b64": "YQ==", "value_b64": "AAE=", "expect": "dead_letter"}

                {"value_b64": "", "key_b64": null}
                """);
        List<CorpusRecord> records = CorpusFile.read(f);

        assertThat(records).hasSize(2);
        assertThat(records.get(0).name()).isEqualTo("one");
        assertThat(records.get(0).key()).containsExactly('a');
        assertThat(records.get(0).value()).containsExactly(0, 1);
        assertThat(records.get(0).expect()).isEqualTo(Outcome.DEAD_LETTER);
        assertThat(records.get(1).name()).isEqualTo("line 4");
        assertThat(records.get(1).key()).isNull();
        assertThat(records.get(1).expect()).isNull();
    }

    @Test
    void aBadLineFailsTheFileNamingTheLine() throws Exception {
        for (String bad : new String[]{"{\"value_b64\": \"!!\"}", "{\"key_b64\": \"YQ==\"}", "[1]", "{nope",
                "{\"value_b64\": \"\", \"expect\": \"succeeded\"}", "{\"value_b64\": \"\", \"valeu\": 1}"}) {
            Path f = Files.writeString(dir.resolve("bad.jsonl"), "{\"value_b64\": \"\"}\n" + bad + "\n");
            assertThatThrownBy(() -> CorpusFile.read(f)).as(bad).hasMessageContaining("line 2");
        }
        assertThatThrownBy(() -> CorpusFile.read(Files.writeString(dir.resolve("empty.jsonl"), "\n")))
                .hasMessageContaining("no records");
    }
}
