package io.cogflow.model.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A manifest naming a file outside the model folder is refused at load, before that file is read. */
class ManifestEntriesTest {
    @TempDir
    Path root;

    @ParameterizedTest
    @ValueSource(strings = {"../secret", "variables/../../secret", "/etc/passwd", "C:\\x", "a\\..\\..\\b", "",
        "a//b", "./a", "a/.", "tab\tname"})
    void aFileEntryOutsideTheFolderIsRefused(String name) throws Exception {
        Path dir = TinyManifests.write(root.resolve("m"));
        Files.writeString(root.resolve("secret"), "not a model file");
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = (ObjectNode) json.readTree(dir.resolve(ModelManifest.FILE).toFile());
        ((ObjectNode) m.get("files")).put(name, ModelManifest.sha256(root.resolve("secret")));
        json.writeValue(dir.resolve(ModelManifest.FILE).toFile(), m);
        assertThatThrownBy(() -> ModelManifest.readVerified(dir)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not a relative path inside the model folder").hasMessageContaining(ModelManifest.FILE);
    }

    @Test
    void aTokenizerOutsideTheFolderIsRefused() throws Exception {
        Path dir = TinyManifests.write(root.resolve("m"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = (ObjectNode) json.readTree(dir.resolve(ModelManifest.FILE).toFile());
        m.put("tokenizer", "../../tokenizer.json");
        json.writeValue(dir.resolve(ModelManifest.FILE).toFile(), m);
        assertThatThrownBy(() -> ModelManifest.read(dir)).hasMessageContaining("'../../tokenizer.json'");
    }

    @Test
    void nestedRelativeEntriesAreFine() throws Exception {
        Path dir = TinyManifests.write(root.resolve("m"));
        assertThat(ModelManifest.readVerified(dir).files()).containsKey("variables/variables.index");
        assertThat(ManifestEntries.isInside("variables/variables.data-00000-of-00001")).isTrue();
    }
}
