package io.cogflow.job.packaging;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the job jar ({@code target/cogflow-job.jar}) and the jars for the Flink image's {@code lib/}
 * ({@code target/flink-lib}) contain: the job jar carries only the job and what Flink's distribution does not have;
 * native libraries go to {@code lib/} (docs/job-jar.md). Runs in {@code integration-test}, after {@code package}
 * has built both.
 */
class JobJarPackagingITCase {
    /** Everything in the job jar is under one of these (directories leading to them aside). */
    private static final List<String> ALLOWED = List.of(
            "io/cogflow/job/", "io/cogflow/model/", "io/cogflow/scheduling/", "io/cogflow/schemas/", "io/cogflow/connectors/",
            "io/cogflow/client/",
            "org/apache/flink/connector/kafka/", "org/apache/flink/streaming/connectors/kafka/",
            "org/apache/flink/streaming/util/serialization/", // flink-connector-kafka's older packages
            "org/apache/kafka/", "kafka/kafka-version.properties",
            "org/apache/avro/",
            "com/fasterxml/jackson/core/", "com/fasterxml/jackson/databind/", "com/fasterxml/jackson/annotation/",
            "com/fasterxml/jackson/dataformat/yaml/", "org/yaml/snakeyaml/",
            "META-INF/MANIFEST.MF", "META-INF/services/", "META-INF/maven/", "META-INF/LICENSE", "META-INF/NOTICE",
            "META-INF/DEPENDENCIES", "META-INF/FastDoubleParser-", "META-INF/thirdparty-LICENSE", "LICENSE",
            "NOTICE");

    /** Named one by one, so that a failure says which of the exclusions broke. */
    private static final List<String> FORBIDDEN = List.of(
            "picocli/", "org/knowm/xchart/", "io/cogflow/cli/", "io/cogflow/bench/", "io/cogflow/training/",
            "io/cogflow/parity/", "io/cogflow/localkafka/", "org/slf4j/", "org/apache/logging/", "org/apache/log4j/",
            "org/tensorflow/", "org/bytedeco/", "com/google/protobuf/", "com/github/luben/",
            "org/apache/flink/runtime/", "org/apache/flink/streaming/api/", "org/apache/flink/api/",
            "org/apache/flink/core/", "org/apache/flink/configuration/", "org/apache/flink/connector/base/",
            "org/apache/commons/", "scala/");

    /** Entries that prove the job jar is the job's, not an empty or unrelated jar. */
    private static final List<String> EXPECTED = List.of(
            "io/cogflow/job/JobMain.class", "io/cogflow/job/CogflowJob.class",
            "io/cogflow/model/pipeline/VideoGenerator.class", "io/cogflow/model/video/VideoEncoders.class",
            "io/cogflow/schemas/GenerationRequest.class", "io/cogflow/connectors/flink/DeadLetteringDeserializer.class",
            "io/cogflow/client/ClientProperties.class",
            "org/apache/flink/connector/kafka/source/KafkaSource.class",
            "org/apache/flink/connector/kafka/sink/KafkaSink.class",
            "org/apache/kafka/clients/consumer/KafkaConsumer.class",
            // configs/cluster.yaml reads the Kafka password through it
            "org/apache/kafka/common/config/provider/EnvVarConfigProvider.class",
            "org/apache/avro/Schema.class", "com/fasterxml/jackson/databind/ObjectMapper.class",
            "com/fasterxml/jackson/dataformat/yaml/YAMLFactory.class", "org/yaml/snakeyaml/Yaml.class");

    /** What the cluster provides to the job's classes, besides the JDK and the lib/ jars checked here. */
    private static final List<String> PROVIDED_BY_FLINK = List.of("org/apache/flink/", "org/slf4j/");

    private static final Pattern NATIVE_LIBRARY = Pattern.compile(".*\\.(so(\\.[0-9]+)*|dll|dylib|jnilib)$");
    private static final Pattern LOG_CONFIG = Pattern.compile("(.*/)?log4j[^/]*\\.(properties|xml|json|ya?ml)$");

    private static Path jobJar;
    private static List<Path> libJars;
    private static Set<String> jobEntries;

    @BeforeAll
    static void read() throws IOException {
        jobJar = Path.of(System.getProperty("cogflow.jobJar", "target/cogflow-job.jar"));
        Path lib = Path.of(System.getProperty("cogflow.flinkLib", "target/flink-lib"));
        assertThat(jobJar).as("the job jar (built by mvn package)").isRegularFile();
        assertThat(lib).as("the jars for Flink's lib/ (built by mvn package)").isDirectory();
        try (Stream<Path> files = Files.list(lib)) {
            libJars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        jobEntries = entries(jobJar);
    }

    @Test
    void theJobJarHoldsOnlyAllowedEntries() {
        List<String> outside = jobEntries.stream()
                .map(JobJarPackagingITCase::withoutVersionPrefix)
                .filter(e -> !allowed(e))
                .toList();
        assertThat(outside).as("entries outside the allow-list in %s", jobJar).isEmpty();
    }

    @Test
    void theJobJarHoldsNoneOfTheExcludedPackages() {
        for (String prefix : FORBIDDEN) {
            assertThat(jobEntries.stream().map(JobJarPackagingITCase::withoutVersionPrefix)
                    .filter(e -> e.startsWith(prefix)).limit(5))
                    .as("%s in the job jar", prefix).isEmpty();
        }
        assertThat(jobEntries.stream().filter(e -> NATIVE_LIBRARY.matcher(e).matches()))
                .as("native libraries in the job jar (they belong in lib/, FLINK-13958)").isEmpty();
        assertThat(jobEntries.stream().filter(e -> LOG_CONFIG.matcher(e).matches()))
                .as("logging configurations in the job jar (the cluster's decide)").isEmpty();
        assertThat(jobEntries.stream().filter(e -> e.startsWith("META-INF/services/")
                && (e.contains("slf4j") || e.contains("log4j") || e.contains("logging"))))
                .as("logging service providers in the job jar").isEmpty();
    }

    @Test
    void theJobJarHoldsTheJobAndItsConnectors() throws IOException {
        assertThat(jobEntries).containsAll(EXPECTED);
        try (JarFile jar = new JarFile(jobJar.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("io.cogflow.job.JobMain");
        }
    }

    /**
     * Every class the job's own classes refer to is somewhere at run time: in the job jar, in the lib/ jars, in the
     * JDK or in Flink's distribution. Catches an allow-list that leaves out what the job needs.
     */
    @Test
    void everyClassTheJobReferencesIsThere() throws IOException {
        Set<String> libEntries = new TreeSet<>();
        for (Path jar : libJars) {
            libEntries.addAll(entries(jar));
        }
        TreeMap<String, String> missing = new TreeMap<>();
        try (JarFile jar = new JarFile(jobJar.toFile())) {
            for (ZipEntry e : Collections.list(jar.entries())) {
                if (!e.getName().startsWith("io/cogflow/") || !e.getName().endsWith(".class")) {
                    continue;
                }
                try (InputStream in = jar.getInputStream(e)) {
                    for (String ref : referencedClasses(in)) {
                        String file = ref + ".class";
                        boolean found = jobEntries.contains(file) || libEntries.contains(file)
                                || PROVIDED_BY_FLINK.stream().anyMatch(ref::startsWith)
                                || ClassLoader.getPlatformClassLoader().getResource(file) != null;
                        if (!found) {
                            missing.putIfAbsent(ref, e.getName());
                        }
                    }
                }
            }
        }
        assertThat(missing).as("classes the job refers to (-> first referrer) that neither the job jar, lib/, "
                + "the JDK nor Flink provide").isEmpty();
    }

    @Test
    void theLibJarsAreTheNativeOnesForTheImage() throws IOException {
        String classifier = System.getProperty("tensorflow.native.classifier", "linux-x86_64");
        List<String> names = libJars.stream().map(p -> p.getFileName().toString()).toList();
        assertThat(names).anyMatch(n -> n.matches("tensorflow-core-api-[0-9.]+\\.jar"))
                .anyMatch(n -> n.matches("tensorflow-core-native-[0-9.]+-" + Pattern.quote(classifier) + "\\.jar"))
                .anyMatch(n -> n.matches("tensorflow-core-native-[0-9.]+\\.jar"))
                .anyMatch(n -> n.matches("javacpp-[0-9.]+-linux-x86_64\\.jar"))
                .anyMatch(n -> n.matches("ffmpeg-[0-9.-]+\\.jar"))
                .anyMatch(n -> n.matches("ffmpeg-[0-9.-]+-linux-x86_64\\.jar"))
                .anyMatch(n -> n.startsWith("protobuf-java-"));
        assertThat(names).as("only native libraries and what must share their classloader")
                .allMatch(n -> n.matches("(tensorflow-core-(api|native)|ndarray|javacpp|ffmpeg|protobuf-java|"
                        + "zstd-jni)-.*\\.jar"));
        for (String nativeJar : List.of("tensorflow-core-native-", "ffmpeg-")) {
            Path jar = libJars.stream()
                    .filter(p -> p.getFileName().toString().startsWith(nativeJar)
                            && !p.getFileName().toString().matches(".*-[0-9.-]+\\.jar"))
                    .findFirst().orElseThrow();
            assertThat(entries(jar)).as("native libraries in %s", jar.getFileName())
                    .anyMatch(e -> NATIVE_LIBRARY.matcher(e).matches());
        }
    }

    @Test
    void noClassIsInBothTheJobJarAndLib() throws IOException {
        List<String> both = new ArrayList<>();
        for (Path jar : libJars) {
            for (String e : entries(jar)) {
                if (e.endsWith(".class") && !e.endsWith("module-info.class") && jobEntries.contains(e)) {
                    both.add(jar.getFileName() + ": " + e);
                }
            }
        }
        assertThat(both).as("classes a child-first classloader would load twice").isEmpty();
    }

    private static boolean allowed(String entry) {
        if (entry.isEmpty() || entry.equals("META-INF/versions/")) {
            return true; // the directories of a multi-release jar; what is in them is judged without the prefix
        }
        for (String prefix : ALLOWED) {
            if (entry.startsWith(prefix) || (entry.endsWith("/") && prefix.startsWith(entry))) {
                return true;
            }
        }
        return false;
    }

    /** {@code META-INF/versions/11/com/x/Y.class} is judged as {@code com/x/Y.class}. */
    private static String withoutVersionPrefix(String entry) {
        Matcher m = Pattern.compile("META-INF/versions/[0-9]+/(.*)").matcher(entry);
        return m.matches() ? m.group(1) : entry;
    }

    private static Set<String> entries(Path jar) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            return f.stream().map(ZipEntry::getName).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([A-Za-z_$][\\w$]*(?:/[\\w$]+)+)[;<]");

    /**
     * The classes a class file names: its constant pool's class entries, and the classes in its type descriptors
     * and signatures (parameter and field types that are never instantiated).
     */
    static Set<String> referencedClasses(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classIndexes = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classIndexes.add(in.readUnsignedShort());
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        Set<String> names = new TreeSet<>();
        for (int index : classIndexes) {
            String name = utf8[index];
            if (name.startsWith("[")) {
                Matcher m = DESCRIPTOR_CLASS.matcher(name);
                while (m.find()) {
                    names.add(m.group(1));
                }
            } else {
                names.add(name);
            }
        }
        for (String s : utf8) {
            if (s != null && (s.startsWith("(") || s.startsWith("L") || s.startsWith("<") || s.startsWith("["))) {
                Matcher m = DESCRIPTOR_CLASS.matcher(s);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}
