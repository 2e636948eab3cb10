// Generates src/common/java_unicode_tables.inc: what java.lang.String.toLowerCase() needs to be
// reproduced outside the JVM, measured on the JDK that runs this program (Spark's JDK 17).
//
//   - Character.toLowerCase(int), the simple lower-case mapping String.toLowerCase() applies to
//     every code point but U+0130 and U+03A3, as runs {first, last, delta, stride};
//   - per code point, the classes the JDK's legacy word BreakIterator (sun.text's
//     RuleBasedBreakIterator, the default for every locale but Thai) tests, and whether
//     java.lang.ConditionalSpecialCasing counts it as cased: the two inputs of the final-sigma
//     rule. The break classes follow the JDK's WordBreakRules resource; "cased" is read from the
//     JDK itself, so the program needs --add-opens java.base/java.lang=ALL-UNNAMED.
//
// Usage: java --add-opens java.base/java.lang=ALL-UNNAMED GenerateJavaTables.java OUTPUT
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

public class GenerateJavaTables {
  // Bits of JavaCharRun::classes; java_unicode.h declares the same names.
  static final int LETTER = 1, DIGIT = 1 << 1, ENCLOSING = 1 << 2, IGNORE = 1 << 3,
      MID_WORD = 1 << 4, MID_NUM = 1 << 5, PRE_NUM = 1 << 6, POST_NUM = 1 << 7,
      DANDA = 1 << 8, WS = 1 << 9, CR = 1 << 10, LS = 1 << 11, KATA = 1 << 12, HIRA = 1 << 13,
      CJK_DIACRIT = 1 << 14, KANJI = 1 << 15, BASE = 1 << 16, CASED = 1 << 17;

  static boolean in(int cp, String chars) {
    return chars.indexOf(cp) >= 0 && cp < 0x10000;
  }

  static boolean between(int cp, int low, int high) {
    return cp >= low && cp <= high;
  }

  static int classes(int cp, Method isCased) throws ReflectiveOperationException {
    int type = Character.getType(cp);
    boolean kanji = cp == 0x3005 || between(cp, 0x4E00, 0x9FA5) || between(cp, 0xF900, 0xFA2D);
    boolean kata = between(cp, 0x30A1, 0x30FA) || cp == 0x30FD || cp == 0x30FE;
    boolean hira = between(cp, 0x3041, 0x3094) || cp == 0x309D || cp == 0x309E;
    boolean cjkDiacrit = between(cp, 0x3099, 0x309C) || cp == 0x30FB || cp == 0x30FC;
    boolean enclosing = type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK;
    boolean letterBase = (Character.isLetter(cp) || type == Character.COMBINING_SPACING_MARK)
        && !(kanji || kata || hira || cjkDiacrit);
    int c = 0;
    if (letterBase) c |= LETTER;
    if (type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER) c |= DIGIT;
    if (enclosing) c |= ENCLOSING;
    if (type == Character.DASH_PUNCTUATION || type == Character.CONNECTOR_PUNCTUATION
        || in(cp, "\u00ad\u2027\"'.")) c |= MID_WORD;
    if (in(cp, "\"',\u066b.")) c |= MID_NUM;
    if ((type == Character.CURRENCY_SYMBOL && cp != 0xA2) || in(cp, "#.")) c |= PRE_NUM;
    if (in(cp, "%&\u00a2\u066a\u2030\u2031")) c |= POST_NUM;
    if (in(cp, "\u0964\u0965")) c |= DANDA;
    if (type == Character.SPACE_SEPARATOR || cp == '\t') c |= WS;
    if (cp == '\r') c |= CR;
    if (in(cp, "\n\u000c\u2028\u2029")) c |= LS;
    if (kata) c |= KATA;
    if (hira) c |= HIRA;
    if (cjkDiacrit) c |= CJK_DIACRIT;
    if (kanji) c |= KANJI;
    int named = c;
    if (!enclosing && type != Character.CONTROL && type != Character.FORMAT
        && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR) c |= BASE;
    // Format characters are invisible to the iterator unless a rule names them (U+00AD is
    // mid-word punctuation).
    if (type == Character.FORMAT && named == 0) c |= IGNORE;
    if ((Boolean) isCased.invoke(null, cp)) c |= CASED;
    return c;
  }

  public static void main(String[] args) throws IOException, ReflectiveOperationException {
    Method isCased = Class.forName("java.lang.ConditionalSpecialCasing")
        .getDeclaredMethod("isCased", int.class);
    isCased.setAccessible(true);

    List<String> lowerRuns = new ArrayList<>();
    int cp = 0;
    while (cp <= Character.MAX_CODE_POINT) {
      int delta = Character.toLowerCase(cp) - cp;
      if (delta == 0) {
        cp++;
        continue;
      }
      // Runs of stride 2 (upper/lower pairs) skip only code points that map to themselves.
      int stride = 1;
      int next = cp + 1;
      if (Character.toLowerCase(next) == next
          && Character.toLowerCase(cp + 2) - (cp + 2) == delta) {
        stride = 2;
      }
      int last = cp;
      while (last + stride <= Character.MAX_CODE_POINT
             && Character.toLowerCase(last + stride) - (last + stride) == delta
             && (stride == 1 || Character.toLowerCase(last + 1) == last + 1)) {
        last += stride;
      }
      lowerRuns.add(String.format("{0x%X, 0x%X, %d, %d}", cp, last, delta, stride));
      cp = last + 1;
    }

    List<String> classRuns = new ArrayList<>();
    int previous = -1;
    for (cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      int c = classes(cp, isCased);
      if (c != previous) {
        classRuns.add(String.format("{0x%X, 0x%X}", cp, c));
        previous = c;
      }
    }

    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(args[0]),
                                                                   StandardCharsets.UTF_8))) {
      out.println("// Generated by src/common/unicode/GenerateJavaTables.java on Java "
                  + System.getProperty("java.specification.version") + "; do not edit.");
      out.println("// Character.toLowerCase(int) != identity, as {first, last, delta, stride}.");
      out.println("inline constexpr JavaLowerRun kJavaLowerRuns[] = {");
      writeRows(out, lowerRuns);
      out.println("};");
      out.println("// Word-break classes and casedness from each code point to the next run's.");
      out.println("inline constexpr JavaCharRun kJavaCharRuns[] = {");
      writeRows(out, classRuns);
      out.println("};");
    }
  }

  static void writeRows(PrintWriter out, List<String> rows) {
    StringBuilder line = new StringBuilder("   ");
    for (String row : rows) {
      if (line.length() + row.length() + 2 > 100) {
        out.println(line);
        line = new StringBuilder("   ");
      }
      line.append(' ').append(row).append(',');
    }
    out.println(line);
  }
}
