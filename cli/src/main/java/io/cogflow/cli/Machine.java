package io.cogflow.cli;

/** What a benchmark ran on, as its JSON result states it. */
record Machine(int cores, String java) {

    static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    }
}
