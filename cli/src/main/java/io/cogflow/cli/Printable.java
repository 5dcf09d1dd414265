package io.cogflow.cli;

import java.util.Locale;

/**
 * Text from the topics (request ids, error messages) as it is safe to print on a terminal: control characters
 * (C0, DEL, C1, line and paragraph separators, bidirectional overrides) become {@code \\uXXXX}, so an id cannot
 * clear the screen, move the cursor, forge a line of output or reorder what follows it.
 */
final class Printable {
    private Printable() {
    }

    static String of(CharSequence text) {
        if (text == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (unsafe(c)) {
                b.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    private static boolean unsafe(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069' || c == '\u200e' || c == '\u200f';
    }
}
