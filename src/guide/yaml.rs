//! Hardened YAML loading: the one function that parses a guide's YAML, with limits
//! on nesting depth and alias expansion, so that every input ends in a value or a
//! [`Problem`] in bounded time and memory (README: Your own guides; Reliability).
//!
//! Like the rest of the guide model (everything in `src/guide/` but `mod.rs`), this
//! file uses serde, serde_yaml and std only, and names its siblings as `super::`:
//! `build.rs` includes it to parse the bundled guides at build time.

use std::fmt;

use super::error::Problem;

/// The deepest a guide's flow collections (`[...]`, `{...}`) may nest: 32. The
/// guide schema itself nests 4 levels (guide, `checklist`, item, `sections`), so
/// a deeper document can never be a valid guide. libyaml scans a whole document
/// before serde_yaml's recursion limit (128 levels) can refuse it, in time that
/// grows with depth × length: 40 000 nested `{a: ` take 8 s in a release build,
/// and the 250 000 that fit in 1 MiB would take minutes. So [`parse_yaml`]
/// counts the nesting first, in one linear pass, and refuses deeper documents
/// before libyaml sees them. At 32 levels, 1 MiB of flow content parses in about
/// 1 s in a debug build.
pub const MAX_NESTING: usize = 32;

/// The most values (scalars, sequences and mappings) a guide may expand to once
/// its aliases (`*name`) are replaced by what their anchors (`&name`) name: 2^20.
/// A 1 MiB guide without aliases holds at most about 500 000 values (`[a,a,…]`).
/// Together with [`MAX_EXPANDED_TEXT`] this defeats alias bombs: nested anchors
/// that multiply at every level ("billion laughs"), or one 400 KiB string
/// repeated 150 000 times (860 KB on disk), which serde_yaml's own repetition
/// limit lets through and which would allocate 60 GB.
pub const MAX_EXPANDED_VALUES: usize = 1 << 20;

/// The most scalar text, in bytes, a guide may expand to: 8 MiB (see
/// [`MAX_EXPANDED_VALUES`]).
pub const MAX_EXPANDED_TEXT: usize = 8 << 20;

/// The only function that names serde_yaml (tests aside): swapping to a
/// maintained fork is a change here alone.
///
/// Hostile input is refused before or while it is parsed, so that every input
/// ends in a value or a [`Problem`] in bounded time and memory: nesting deeper than
/// [`MAX_NESTING`] (checked first), and, in a document that defines anchors, an
/// expansion beyond [`MAX_EXPANDED_VALUES`] or [`MAX_EXPANDED_TEXT`] (counted in
/// a first pass that allocates nothing per value). serde_yaml itself stops at 128
/// levels of recursion and at 100 alias jumps per event, with an error.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Problem> {
    let problem = |error: serde_yaml::Error| {
        let mut message = error.to_string();
        // serde_yaml's own limits, said in the guide's terms.
        if message.starts_with("recursion limit exceeded") {
            message = "values nest more than 128 levels deep (serde_yaml's recursion limit); a guide nests 4 levels at most".into();
        } else if message.starts_with("repetition limit exceeded") {
            message = "aliases (*name) repeat their anchors (&name) too often (serde_yaml's repetition limit)".into();
        }
        Problem {
            field: String::new(),
            line: error.location().map(|location| location.line()),
            message,
        }
    };
    if let Some(line) = nesting_exceeded(text, MAX_NESTING) {
        return Err(Problem {
            field: String::new(),
            line: Some(line),
            message: format!(
                "brackets nest more than {MAX_NESTING} levels deep here; a guide nests 4 levels at most"
            ),
        });
    }
    // Without an `&` there is no anchor, so no alias can expand to anything.
    if text.contains('&') {
        let mut expansion = Expansion::default();
        let counted = serde::de::DeserializeSeed::deserialize(
            Count(&mut expansion),
            serde_yaml::Deserializer::from_str(text),
        );
        // Any other error, the typed parse below reports as precisely.
        if let (Err(error), true) = (counted, expansion.exceeded) {
            return Err(Problem {
                message: format!(
                    "the document expands to more than {MAX_EXPANDED_VALUES} values or {} MiB of text once its aliases (*name) are replaced by their anchors (&name); a guide needs far less",
                    MAX_EXPANDED_TEXT >> 20
                ),
                ..problem(error)
            });
        }
    }
    serde_yaml::from_str(text).map_err(problem)
}

/// The line on which `text`'s flow collections first nest deeper than `limit`, by
/// a linear, YAML-aware scan: brackets count inside flow collections and where a
/// block-context value starts, not in quoted strings, plain scalars, comments or
/// block scalars (`|`, `>`). It follows the YAML lexer closely enough that a real
/// guide's count is exact; a crafted file could hide brackets from it, and would
/// then merely be slow to parse (serde_yaml still refuses it at 128 levels).
fn nesting_exceeded(text: &str, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let at = |index: usize| bytes.get(index).copied().unwrap_or(b'\n');
    let blank = |byte: u8| matches!(byte, b' ' | b'\t' | b'\r' | b'\n');
    let mut depth = 0usize;
    let mut line = 1usize;
    let mut index = 0usize;
    // Inside a plain (unquoted) scalar, where brackets and quotes are text.
    let mut plain = false;
    while index < bytes.len() {
        let byte = bytes[index];
        let previous = if index == 0 { b'\n' } else { bytes[index - 1] };
        let flow = depth > 0;
        match byte {
            b'\n' => {
                line += 1;
                // A plain scalar ends at the line's end, except inside a flow collection.
                plain &= flow;
            }
            b' ' | b'\t' | b'\r' => {}
            b'#' if blank(previous) => {
                // A comment, up to the end of the line.
                while index < bytes.len() && bytes[index] != b'\n' {
                    index += 1;
                }
                continue;
            }
            // A mapping's `:`; in a flow collection also right after a quoted key
            // (`{"a":"b"}`) or before a bracket or comma.
            b':' if blank(at(index + 1))
                || (flow && (!plain || b",[]{}".contains(&at(index + 1)))) =>
            {
                plain = false;
            }
            b',' | b'[' | b']' | b'{' | b'}' if flow => {
                plain = false;
                match byte {
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => depth -= 1,
                    _ => {}
                }
            }
            _ if plain => {}
            b'[' | b'{' => depth += 1,
            b'-' | b'?' if blank(at(index + 1)) => {}
            b'&' | b'*' | b'!' => {
                // An anchor, alias or tag: a word that does not start a scalar.
                while index < bytes.len()
                    && !blank(bytes[index])
                    && !b",[]{}".contains(&bytes[index])
                {
                    index += 1;
                }
                continue;
            }
            b'"' | b'\'' => index = closing_quote(bytes, index, &mut line),
            b'|' | b'>' if !flow => {
                index = block_scalar_end(text, index, &mut line);
                continue;
            }
            _ => plain = true,
        }
        if depth > limit {
            return Some(line);
        }
        index += 1;
    }
    None
}

/// Where the quoted scalar opening at `open` closes: the index of its closing
/// quote, or the text's end. `\"` escapes in double quotes, `''` in single ones.
/// Counts the line breaks it passes into `line`.
fn closing_quote(bytes: &[u8], open: usize, line: &mut usize) -> usize {
    let quote = bytes[open];
    let at = |index: usize| bytes.get(index).copied().unwrap_or(b'\n');
    let mut index = open + 1;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' if quote == b'"' => index += 1,
            b'\'' if quote == b'\'' && at(index + 1) == b'\'' => index += 1,
            byte if byte == quote => break,
            _ => {}
        }
        *line += usize::from(bytes.get(index) == Some(&b'\n'));
        index += 1;
    }
    index
}

/// Where the block scalar whose indicator (`|`, `>`) is at `indicator` ends: the
/// index of the line break after its last line, or the text's end. Every line
/// after the indicator's that is indented deeper than it, or blank, is the
/// scalar's text. Counts those lines into `line`.
fn block_scalar_end(text: &str, indicator: usize, line: &mut usize) -> usize {
    let bytes = text.as_bytes();
    let start = text[..indicator]
        .rfind('\n')
        .map_or(0, |newline| newline + 1);
    let indent = bytes[start..].iter().take_while(|&&b| b == b' ').count();
    let mut index = indicator;
    while index < bytes.len() && bytes[index] != b'\n' {
        index += 1;
    }
    while index < bytes.len() {
        let next = &bytes[index + 1..];
        let spaces = next.iter().take_while(|&&b| b == b' ').count();
        let rest = &next[spaces..];
        let is_blank = rest.first().is_none_or(|&b| b == b'\n' || b == b'\r');
        if next.is_empty() || !(is_blank || spaces > indent) {
            break;
        }
        *line += 1;
        index += 1 + next.iter().position(|&b| b == b'\n').unwrap_or(next.len());
    }
    index
}

/// How much of a document [`Count`] has seen.
#[derive(Default)]
struct Expansion {
    values: usize,
    text: usize,
    exceeded: bool,
}

/// Visits every value of a document, aliases expanded, allocating nothing per
/// value, and fails once it has seen more than the expansion limits allow.
struct Count<'a>(&'a mut Expansion);

impl Count<'_> {
    fn add<E: serde::de::Error>(&mut self, text: usize) -> Result<(), E> {
        let expansion = &mut *self.0;
        expansion.values += 1;
        expansion.text = expansion.text.saturating_add(text);
        expansion.exceeded =
            expansion.values > MAX_EXPANDED_VALUES || expansion.text > MAX_EXPANDED_TEXT;
        if expansion.exceeded {
            Err(E::custom("the document expands too far"))
        } else {
            Ok(())
        }
    }

    fn again(&mut self) -> Count<'_> {
        Count(&mut *self.0)
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Count<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Count<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: serde::de::Error>(mut self, _: bool) -> Result<(), E> {
        self.add(0)
    }

    fn visit_i64<E: serde::de::Error>(mut self, _: i64) -> Result<(), E> {
        self.add(0)
    }

    fn visit_i128<E: serde::de::Error>(mut self, _: i128) -> Result<(), E> {
        self.add(0)
    }

    fn visit_u64<E: serde::de::Error>(mut self, _: u64) -> Result<(), E> {
        self.add(0)
    }

    fn visit_u128<E: serde::de::Error>(mut self, _: u128) -> Result<(), E> {
        self.add(0)
    }

    fn visit_f64<E: serde::de::Error>(mut self, _: f64) -> Result<(), E> {
        self.add(0)
    }

    fn visit_str<E: serde::de::Error>(mut self, value: &str) -> Result<(), E> {
        self.add(value.len())
    }

    fn visit_bytes<E: serde::de::Error>(mut self, value: &[u8]) -> Result<(), E> {
        self.add(value.len())
    }

    fn visit_unit<E: serde::de::Error>(mut self) -> Result<(), E> {
        self.add(0)
    }

    fn visit_none<E: serde::de::Error>(mut self) -> Result<(), E> {
        self.add(0)
    }

    fn visit_some<D: serde::Deserializer<'de>>(mut self, inner: D) -> Result<(), D::Error> {
        self.add(0)?;
        serde::de::DeserializeSeed::deserialize(self, inner)
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(
        mut self,
        inner: D,
    ) -> Result<(), D::Error> {
        self.add(0)?;
        serde::de::DeserializeSeed::deserialize(self, inner)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        self.add(0)?;
        while seq.next_element_seed(self.again())?.is_some() {}
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.add(0)?;
        while map.next_key_seed(self.again())?.is_some() {
            map.next_value_seed(self.again())?;
        }
        Ok(())
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(mut self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!tag value`): the tag, then the value.
        use serde::de::VariantAccess;
        self.add(0)?;
        let ((), variant) = data.variant_seed(self.again())?;
        variant.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guide::Guide;
    use crate::guide::validate::tests::VALID;

    #[test]
    fn nesting_is_counted_as_yaml_counts_it() {
        // The bundled guides nest flow collections one level deep (`sections: [a]`).
        for text in [
            include_str!("../../data/associate.yaml"),
            include_str!("../../data/professional.yaml"),
        ] {
            assert!(nesting_exceeded(text, 0).is_some());
            assert_eq!(nesting_exceeded(text, 1), None);
        }
        let deep = |open: &str, close: &str| {
            format!("a: 1\nb: {}1{}\n", open.repeat(20), close.repeat(20))
        };
        // Flow collections, however written, are counted; the line is the one
        // where the limit is passed. (levels per repetition, opening, closing)
        for (levels, open, close) in [
            (1, "[", "]"),
            (1, "{a: ", "}"),
            (2, "[{a: ", "}]"),
            (2, "{\"a\":[", "]}"),
            // A quoted closing bracket closes nothing.
            (1, "{a: \"}\", b: ", "}"),
            (1, "['];', ", "]"),
        ] {
            let text = deep(open, close);
            assert_eq!(nesting_exceeded(&text, 20 * levels - 1), Some(2), "{text}");
            assert_eq!(nesting_exceeded(&text, 20 * levels), None, "{text}");
        }
        assert_eq!(nesting_exceeded(&"[\n".repeat(33), 32), Some(33));
        // Brackets that are text are not: in quotes, plain scalars, comments and
        // block scalars, even unbalanced.
        let many = "[{".repeat(40);
        for text in [
            format!("a: \"{many}\"\nb: '{many}'\n"),
            format!("a: x {many}\nb: it's {many}\n"),
            format!("a: 1 # {many}\n# {many}\n"),
            format!("a: |\n  {many}\n\n  {many}\nb: >-\n    {many}\n"),
            format!("- |\n  {many}\n- [x]\n"),
            format!("a: [\"{many}\", '{many}', x # {many}\n  ]\n"),
        ] {
            assert_eq!(nesting_exceeded(&text, 2), None, "{text}");
        }
        // After a block scalar, brackets count again.
        let after = format!("a: |\n  text\nb: {}1{}\n", "[".repeat(3), "]".repeat(3));
        assert_eq!(nesting_exceeded(&after, 2), Some(3));
    }

    /// The flow nesting [`nesting_exceeded`] sees in `text`.
    fn scanned_depth(text: &str) -> usize {
        (0..)
            .find(|&limit| nesting_exceeded(text, limit).is_none())
            .unwrap()
    }

    /// A pseudo-random value built from awkward strings (brackets, quotes,
    /// comment and block-scalar indicators, newlines), and its nesting depth.
    fn awkward_value(seed: &mut u64, depth: usize) -> (serde_json::Value, usize) {
        const PIECES: [&str; 16] = [
            "[", "]", "{", "}", "\"", "'", "#", " #", ": ", "|", ">", "- ", "\n", "\\", "&a", "x",
        ];
        let mut next = |bound: u64| {
            *seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (*seed >> 33) % bound
        };
        match (depth, next(4)) {
            (0, _) | (_, 0) => {
                let text: String = (0..next(8)).map(|_| PIECES[next(16) as usize]).collect();
                (serde_json::Value::String(text), 0)
            }
            (_, kind) => {
                let children: Vec<_> = (0..1 + next(3))
                    .map(|_| awkward_value(seed, depth - 1))
                    .collect();
                let deepest = 1 + children.iter().map(|(_, depth)| *depth).max().unwrap_or(0);
                let values = children.into_iter().map(|(value, _)| value);
                let value = if kind == 1 {
                    serde_json::Value::Array(values.collect())
                } else {
                    serde_json::Value::Object(
                        values
                            .enumerate()
                            .map(|(i, v)| (format!("k{i}"), v))
                            .collect(),
                    )
                };
                (value, deepest)
            }
        }
    }

    #[test]
    fn nesting_count_matches_serialized_documents() {
        let mut seed = 7;
        for _ in 0..2000 {
            let (value, depth) = awkward_value(&mut seed, 6);
            // JSON is YAML in flow style: every collection counts, strings never.
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(scanned_depth(&json), depth, "{json}");
            let pretty = serde_json::to_string_pretty(&value).unwrap();
            assert_eq!(scanned_depth(&pretty), depth, "{pretty}");
            // serde_yaml writes block style, with quoted and block scalars; only an
            // empty collection (`[]`, `{}`) is flow style.
            let yaml = serde_yaml::to_string(&value).unwrap();
            assert!(scanned_depth(&yaml) <= 1, "{yaml}");
            assert_eq!(
                parse_yaml::<serde_json::Value>(&yaml).unwrap(),
                value,
                "{yaml}"
            );
        }
    }

    #[test]
    fn hostile_nesting_is_refused_before_parsing() {
        // 20 000 nested flow mappings took 10 s to scan in a debug build.
        let text = format!("{}1{}", "{a: ".repeat(20_000), "}".repeat(20_000));
        let problem = parse_yaml::<Guide>(&text).unwrap_err();
        assert!(
            problem.message.contains("more than 32 levels"),
            "{problem:?}"
        );
        assert_eq!(problem.line, Some(1));
        // Deep block nesting is not counted, and serde_yaml refuses it with an error.
        let text = format!("{}x\n", "- ".repeat(20_000));
        assert!(parse_yaml::<Vec<Vec<String>>>(&text).is_err());
        let problem = parse_yaml::<serde_yaml::Value>(&text).unwrap_err();
        assert!(problem.message.contains("128 levels"), "{problem:?}");
    }

    #[test]
    fn alias_expansion_is_bounded() {
        // Anchors are fine in a guide of sensible size.
        let text = VALID
            .replace("sections: [beta]", "sections: &both [alpha, beta]")
            .replace("sections: [alpha, beta]", "sections: *both");
        let guide = Guide::from_yaml(&text, "demo.yaml").unwrap();
        assert_eq!(guide.plan[1].sections, ["alpha", "beta"]);
        // 30 copies of a 400 KB string: 12 MB, more than 8 MiB.
        let bomb = format!(
            "{VALID}source: &s \"{}\"\ngetting_ready: [{}]\n",
            "x".repeat(400 << 10),
            ["*s"; 30].join(", ")
        );
        let error = Guide::from_yaml(&bomb, "demo.yaml").unwrap_err();
        assert_eq!(error.problems.len(), 1);
        assert!(error.problems[0].message.contains("aliases"), "{error}");
        // The line of the anchored string that is repeated.
        assert_eq!(error.problems[0].line, Some(28));
        // "Billion laughs": nine levels of nine aliases each, 387 420 489 strings.
        let mut laughs = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..10 {
            let aliases = vec![format!("*a{}", level - 1); 9].join(", ");
            laughs += &format!("a{level}: &a{level} [{aliases}]\n");
        }
        let problem = parse_yaml::<serde_yaml::Value>(&laughs).unwrap_err();
        assert!(problem.message.contains("aliases"), "{problem:?}");
        assert!(parse_yaml::<Guide>(&laughs).is_err());
    }
}
