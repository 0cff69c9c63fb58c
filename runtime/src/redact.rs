//! Making text safe to show: control characters in server-supplied text escaped, user
//! information in URLs hidden, long bodies cut to a short excerpt.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

/// Displays text with control characters (terminal escape sequences, newlines) and the Unicode
/// bidirectional overrides escaped as `\u{1b}`, `\n`..., so a server cannot rewrite a terminal
/// or forge log lines through an error message.
pub(crate) struct Escaped<'a>(pub(crate) &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if needs_escape(c) {
                write!(f, "{}", c.escape_default())?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `scheme://user:password@host/...` → `scheme://<redacted>@host/...`. Conservative for text
/// that is not a well-formed URL (it comes from users, and may be what failed to parse):
/// everything from the first `//` (or the start) to the last `@` before any `?` or `#` is hidden.
pub(crate) fn url(url: &str) -> Cow<'_, str> {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let Some(at) = url[..end].rfind('@') else {
        return Cow::Borrowed(url);
    };
    let start = url
        .find("//")
        .map(|i| i + 2)
        .filter(|&start| start <= at)
        .unwrap_or(0);
    Cow::Owned(format!("{}<redacted>{}", &url[..start], &url[at..]))
}

/// `text`, cut after `max` characters with a note of its full length, so that an error does not
/// repeat a hostile 100 kB value.
pub(crate) fn shorten(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!(
            "{}... ({} characters in all)",
            &text[..cut],
            text.chars().count()
        )),
    }
}

/// A URL as the user gave it, whose `Debug` hides any `user:password@`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct UrlText(pub(crate) String);

impl fmt::Debug for UrlText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&url(&self.0), f)
    }
}

impl std::ops::Deref for UrlText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// At most this many bytes of a body are kept as an excerpt.
pub(crate) const EXCERPT_LEN: usize = 300;

/// The start of `body` as text: invalid UTF-8 replaced, runs of whitespace (HTML pages have
/// many) folded into one space, cut at [`EXCERPT_LEN`] bytes with `...`. `None` when empty.
pub(crate) fn excerpt(body: &[u8]) -> Option<String> {
    // Look at a little more than needed: folding whitespace shrinks the text.
    let head = &body[..body.len().min(EXCERPT_LEN * 4)];
    let text = String::from_utf8_lossy(head);
    let mut out = String::with_capacity(EXCERPT_LEN + 3);
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.len() >= EXCERPT_LEN {
            break;
        }
    }
    if out.is_empty() {
        return None;
    }
    let cut_short = out.len() > EXCERPT_LEN || head.len() < body.len();
    if out.len() > EXCERPT_LEN {
        let mut cut = EXCERPT_LEN;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    if cut_short {
        out.push_str("...");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_characters_and_bidi_overrides() {
        let shown =
            Escaped("red \u{1b}[31mALERT\u{1b}[0m\nforged line \u{202e}txt.exe").to_string();
        assert_eq!(
            shown,
            "red \\u{1b}[31mALERT\\u{1b}[0m\\nforged line \\u{202e}txt.exe"
        );
        assert_eq!(Escaped("plain ünïcode").to_string(), "plain ünïcode");
    }

    #[test]
    fn redacts_user_information() {
        assert_eq!(
            url("http://user:hunter2@proxy:8080/x"),
            "http://<redacted>@proxy:8080/x"
        );
        assert_eq!(url("https://a:b@c@host"), "https://<redacted>@host");
        assert_eq!(url("user:pw@host:1"), "<redacted>@host:1");
        assert_eq!(url("http:/\0/user:pw@host"), "<redacted>@host");
        assert_eq!(url("ht//u:pw@h://u:pw@host/x"), "ht//<redacted>@host/x");
        assert_eq!(url("https://host/?q=a@b"), "https://host/?q=a@b");
        assert_eq!(url("http://host:80"), "http://host:80");
    }

    #[test]
    fn excerpts_are_bounded_and_folded() {
        assert_eq!(
            excerpt(b"<html>\n  <h1>502 Bad Gateway</h1>\n</html>\n").as_deref(),
            Some("<html> <h1>502 Bad Gateway</h1> </html>")
        );
        assert_eq!(excerpt(b" \n\t "), None);
        let long = "é".repeat(10_000);
        let cut = excerpt(long.as_bytes()).unwrap();
        assert!(cut.len() <= EXCERPT_LEN + 3, "{}", cut.len());
        assert!(cut.ends_with("..."));
        assert_eq!(
            excerpt(b"\xff\xfeabc").as_deref(),
            Some("\u{fffd}\u{fffd}abc")
        );
    }
}
