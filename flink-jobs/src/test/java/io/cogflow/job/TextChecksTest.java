package io.cogflow.job;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TextChecksTest {
    @Test
    void utf8BytesAgreeWithTheEncoder() {
        for (String s : new String[]{"", "abc", "é", "€", "😀", "a€😀é", "\u0000"}) {
            assertThat(TextChecks.utf8Bytes(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
        // a lone surrogate counts as the U+FFFD it stands for, never less (Java's encoder writes a 1-byte '?')
        assertThat(TextChecks.utf8Bytes("x\uDC00y")).isEqualTo(5);
    }

    @Test
    void charactersAreCodePoints() {
        assertThat(TextChecks.characters("a😀")).isEqualTo(2);
    }

    @Test
    void aPromptWithOneVisibleCharacterIsNotEmpty() {
        assertThat(TextChecks.visuallyEmpty("\u200B a \u00A0")).isFalse();
        assertThat(TextChecks.visuallyEmpty("\u200B\u00A0 \u3000")).isTrue();
        assertThat(TextChecks.visuallyEmpty("\uFFFD")).isFalse();
    }

    @Test
    void idCharacters() {
        assertThat(TextChecks.firstBadIdCodePoint("abc-123_ä/€")).isEqualTo(-1);
        assertThat(TextChecks.firstBadIdCodePoint("ab\tc")).isEqualTo('\t');
        assertThat(TextChecks.firstBadIdCodePoint("ab\uFFFD")).isEqualTo(0xFFFD);
        assertThat(TextChecks.codePointName(0x1F600)).isEqualTo("U+1F600");
    }
}
