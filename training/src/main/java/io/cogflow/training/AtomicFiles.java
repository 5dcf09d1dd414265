package io.cogflow.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the work folder's files whole or not at all: each is written beside its place and moved there, so a run
 * killed mid-write leaves the previous file, never half of one, and resuming can trust what it finds.
 */
final class AtomicFiles {
    /** Indented: the state and report files are read by people too. */
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Something that writes a whole file at the path it is given. */
    @FunctionalInterface
    interface Writing {
        void to(Path file) throws IOException;
    }

    private AtomicFiles() {
    }

    static void write(Path file, Writing writing) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        writing.to(tmp);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static void write(Path file, byte[] bytes) throws IOException {
        write(file, tmp -> Files.write(tmp, bytes));
    }

    static void write(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code value} as JSON: a tree, or anything Jackson maps (a map of metrics, say). */
    static void writeJson(Path file, Object value) throws IOException {
        write(file, JSON.writeValueAsBytes(value));
    }

    static JsonNode readJson(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }
}
