package io.cogflow.connectors.claimcheck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PublicationTest {
    @Test
    void objectStoresWriteDirectlyFileSystemsRenameTheLocalDiskMovesAtomically() {
        assertThat(Publication.forScheme("file")).isEqualTo(Publication.ATOMIC_MOVE);
        for (String s : new String[] {"s3", "S3A", "s3p", "gs", "oss", "wasbs"}) {
            assertThat(Publication.forScheme(s)).as(s).isEqualTo(Publication.DIRECT_WRITE);
        }
        // HDFS, federated HDFS, ADLS Gen2 (create shows an empty file; rename is atomic), and anything unknown
        for (String s : new String[] {"hdfs", "viewfs", "abfs", "abfss", "something-new"}) {
            assertThat(Publication.forScheme(s)).as(s).isEqualTo(Publication.RENAME);
        }
    }
}
