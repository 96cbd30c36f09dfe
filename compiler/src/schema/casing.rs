//! Column names derived from object keys (`casing` in the config).

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum Casing {
    #[serde(rename = "snake_case")]
    SnakeCase,
    #[serde(rename = "camelCase")]
    CamelCase,
}

impl Casing {
    pub fn parse(s: &str) -> Option<Casing> {
        match s {
            "snake_case" => Some(Casing::SnakeCase),
            "camelCase" => Some(Casing::CamelCase),
            _ => None,
        }
    }

    pub fn apply(self, key: &str) -> String {
        let words = words(key);
        match self {
            Casing::SnakeCase => words
                .iter()
                .map(|w| w.to_lowercase())
                .collect::<Vec<_>>()
                .join("_"),
            Casing::CamelCase => words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let lower = w.to_lowercase();
                    if i == 0 {
                        lower
                    } else {
                        let mut c = lower.chars();
                        match c.next() {
                            Some(f) => f.to_uppercase().chain(c).collect(),
                            None => String::new(),
                        }
                    }
                })
                .collect(),
        }
    }
}

/// Splits a key into words the way drizzle-orm does: runs of lowercase letters and digits, runs
/// of capitals not followed by a lowercase letter, and a capital followed by lowercase letters
/// and digits. Quotes are dropped; other characters separate words.
fn words(key: &str) -> Vec<String> {
    let chars: Vec<char> = key
        .chars()
        .filter(|c| *c != '\'' && *c != '\u{2019}')
        .collect();
    let lower_or_digit = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if lower_or_digit(c) {
            let start = i;
            while i < chars.len() && lower_or_digit(chars[i]) {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else if c.is_ascii_uppercase() {
            // [A-Z]+(?![a-z]) first, then [A-Z][\da-z]+, as the regex alternation tries them.
            let start = i;
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_uppercase() {
                j += 1;
            }
            // Backtrack so the run is not followed by a lowercase letter.
            let mut end = j;
            while end > start && end < chars.len() && chars[end].is_ascii_lowercase() {
                end -= 1;
            }
            if end > start {
                out.push(chars[start..end].iter().collect());
                i = end;
            } else {
                // A single capital followed by lowercase letters/digits.
                let mut k = start + 1;
                while k < chars.len() && lower_or_digit(chars[k]) {
                    k += 1;
                }
                out.push(chars[start..k].iter().collect());
                i = k;
            }
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Casing::*;

    #[test]
    fn snake_case_matches_drizzle() {
        assert_eq!(SnakeCase.apply("t1Id1"), "t1_id1");
        assert_eq!(SnakeCase.apply("userID"), "user_id");
        assert_eq!(SnakeCase.apply("firstName"), "first_name");
        assert_eq!(SnakeCase.apply("capacityM3"), "capacity_m_3");
        assert_eq!(SnakeCase.apply("HTTPServer"), "http_server");
        assert_eq!(SnakeCase.apply("already_snake"), "already_snake");
    }

    #[test]
    fn camel_case_matches_drizzle() {
        assert_eq!(CamelCase.apply("first_name"), "firstName");
        assert_eq!(CamelCase.apply("user_id"), "userId");
        assert_eq!(CamelCase.apply("firstName"), "firstName");
    }
}
