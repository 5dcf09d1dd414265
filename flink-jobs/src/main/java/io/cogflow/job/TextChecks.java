package io.cogflow.job;

/**
 * The text facts the request limits need, computed without allocating: a hostile record must not make the job
 * copy its strings just to find out they are too long.
 */
final class TextChecks {
    /** What Avro's decoder puts where the wire held bytes that are not UTF-8. */
    static final int REPLACEMENT = 0xFFFD;

    private TextChecks() {
    }

    /** The UTF-8 length of the text; a lone surrogate counts as the 3 bytes of the U+FFFD it would encode to. */
    static long utf8Bytes(CharSequence s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Characters as people count them: code points, so an emoji (two UTF-16 units) counts once. */
    static int characters(String s) {
        return s.codePointCount(0, s.length());
    }

    /**
     * Whether the text shows nothing: only whitespace (NBSP and the other space separators included), control and
     * format characters (zero-width spaces and joiners, BOM, tags), unassigned or surrogate code points, combining
     * marks with nothing to combine with, and the fillers that render blank (Hangul fillers, the Braille blank). The
     * tokenizer would turn such a prompt into nothing, and the model would draw an unconditioned video.
     */
    static boolean visuallyEmpty(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!invisible(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    private static boolean invisible(int cp) {
        switch (cp) {
            case 0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800 -> {
                return true;  // Hangul fillers and the Braille blank: letters and symbols to Unicode, blank on screen
            }
            default -> {
            }
        }
        return switch (Character.getType(cp)) {
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.SURROGATE,
                 Character.NON_SPACING_MARK, Character.ENCLOSING_MARK -> true;
            default -> false;
        };
    }

    /**
     * The first code point a request id may not contain, or -1 when all are allowed. An id is printable without
     * spaces: letters, marks, digits, punctuation and symbols of any script. Refused are whitespace, control and
     * format characters (they hide in logs and terminals), private-use, unassigned and surrogate code points, and
     * U+FFFD — which is what invalid UTF-8 on the wire decodes to, so such an id is not the one the client sent.
     */
    static int firstBadIdCodePoint(String id) {
        for (int i = 0; i < id.length(); ) {
            int cp = id.codePointAt(i);
            if (cp == REPLACEMENT || !allowedInId(cp)) {
                return cp;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    private static boolean allowedInId(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                 Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                 Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                 Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                 Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                 Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /** U+XXXX: how a message names a code point without printing it (it may be invisible or a control). */
    static String codePointName(int cp) {
        return String.format("U+%04X", cp);
    }
}
