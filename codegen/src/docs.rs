//! Documentation: the model's HTML turned into rustdoc Markdown that `cargo doc` with warnings
//! denied accepts (no broken intra-doc links, no bare URLs, no stray HTML, no doctests).

/// Converts AWS's documentation HTML into Markdown lines for `///` comments.
pub fn html_to_rustdoc(html: &str) -> String {
    let mut out = Markdown::default();
    let mut rest = html;
    let mut link_stack: Vec<Option<String>> = Vec::new();
    while !rest.is_empty() {
        if let Some(after_lt) = rest.strip_prefix('<') {
            if let Some(end) = after_lt.find('>') {
                let tag = &after_lt[..end];
                rest = &after_lt[end + 1..];
                out.tag(tag, &mut link_stack);
                continue;
            }
            // A lone `<` is text.
            out.text("<");
            rest = after_lt;
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        out.text(&decode_entities(&rest[..end]));
        rest = &rest[end..];
    }
    out.finish()
}

#[derive(Default)]
struct Markdown {
    blocks: Vec<String>,
    line: String,
    list_depth: usize,
    in_code: bool,
    in_pre: bool,
    /// A nested list just ended inside an item: the item's next text is a new paragraph, which
    /// needs a blank line (else Markdown reads it as part of the nested list's last item).
    after_nested_list: bool,
}

impl Markdown {
    fn tag(&mut self, raw: &str, links: &mut Vec<Option<String>>) {
        let raw = raw.trim();
        let closing = raw.starts_with('/');
        let body = raw.trim_start_matches('/').trim_end_matches('/');
        let name = body
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if !closing && matches!(name.as_str(), "code" | "b" | "strong" | "i" | "em" | "a") {
            self.continue_item();
        }
        match (name.as_str(), closing) {
            ("p" | "div" | "note" | "important" | "fullname" | "dl" | "section", _) => {
                self.paragraph()
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => {
                self.paragraph();
                self.line.push_str("**");
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => {
                self.line.push_str("**");
                self.paragraph();
            }
            ("br", _) => self.paragraph(),
            ("ul" | "ol", false) => {
                self.paragraph();
                self.list_depth += 1;
            }
            ("ul" | "ol", true) => {
                self.paragraph();
                self.list_depth = self.list_depth.saturating_sub(1);
                self.after_nested_list = self.list_depth > 0;
            }
            ("li", false) => {
                self.after_nested_list = false;
                self.flush_line();
                let indent = "  ".repeat(self.list_depth.saturating_sub(1));
                self.line = format!("{indent}- ");
            }
            ("li", true) => self.flush_line(),
            ("dt", false) => {
                self.paragraph();
                self.line.push_str("**");
            }
            ("dt", true) => {
                self.line.push_str("**");
                self.paragraph();
            }
            ("dd", _) => self.paragraph(),
            ("code", false) if !self.in_pre => {
                self.in_code = true;
                self.line.push('`');
            }
            ("code", true) if !self.in_pre => {
                self.in_code = false;
                if self.line.ends_with('`') {
                    // An empty code span would print two backticks; drop it.
                    self.line.pop();
                } else {
                    self.line.push('`');
                }
            }
            ("pre", false) => {
                self.paragraph();
                self.in_pre = true;
                self.blocks.push("```text".to_string());
            }
            ("pre", true) => {
                self.flush_line();
                self.in_pre = false;
                self.blocks.push("```".to_string());
                self.blocks.push(String::new());
            }
            ("b" | "strong", _) if !self.in_code => self.line.push_str("**"),
            ("i" | "em", _) if !self.in_code => self.line.push('_'),
            ("a", false) => {
                let href = attribute(body, "href").filter(|h| h.starts_with("http"));
                if href.is_some() && !self.in_code {
                    self.line.push('[');
                }
                links.push(href);
            }
            ("a", true) => {
                if let Some(Some(href)) = links.pop() {
                    if !self.in_code {
                        self.line.push_str("](");
                        self.line.push_str(
                            &href
                                .replace(' ', "%20")
                                .replace('(', "%28")
                                .replace(')', "%29"),
                        );
                        self.line.push(')');
                    }
                }
            }
            // Any other tag (`<fullname>`'s siblings, `<span>`, unknown ones) keeps its text only.
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.in_pre {
            for (i, part) in text.split('\n').enumerate() {
                if i > 0 {
                    self.flush_line();
                }
                self.line.push_str(part);
            }
            return;
        }
        if !text.trim().is_empty() {
            self.continue_item();
        }
        for c in text.chars() {
            let c = if c.is_whitespace() { ' ' } else { c };
            if c == ' ' && (self.line.trim().is_empty() || self.line.ends_with(' ')) {
                continue;
            }
            if self.in_code {
                // Backticks cannot appear inside a single-backtick span.
                self.line.push(if c == '`' { '\'' } else { c });
                continue;
            }
            match c {
                // Markdown-significant characters in prose are escaped so they stay text:
                // `[x]` would be an intra-doc link, `<x>` HTML, `*`/`_` emphasis, `#` a heading.
                '[' | ']' | '*' | '_' | '`' | '\\' | '#' | '|' => {
                    self.line.push('\\');
                    self.line.push(c);
                }
                '<' => self.line.push_str("&lt;"),
                '>' => self.line.push_str("&gt;"),
                '&' => self.line.push_str("&amp;"),
                _ => self.line.push(c),
            }
        }
    }

    /// A further paragraph of a list item stays inside the item: indent the new line.
    fn continue_item(&mut self) {
        if self.line.is_empty() && self.list_depth > 0 && !self.in_pre {
            if std::mem::take(&mut self.after_nested_list) {
                self.blocks.push(String::new());
            }
            self.line = "  ".repeat(self.list_depth);
        }
    }

    fn flush_line(&mut self) {
        let trimmed = self.line.trim_end();
        if !trimmed.is_empty() && trimmed != "-" {
            let line = if self.in_pre {
                trimmed.to_string()
            } else {
                wrap_bare_urls(trimmed)
            };
            self.blocks.push(line);
        }
        self.line.clear();
    }

    fn paragraph(&mut self) {
        if self.in_code {
            self.line.push('`');
            self.in_code = false;
        }
        if self.list_depth > 0 && self.line.trim() == "-" {
            // `<li><p>`: the paragraph starts the item's text.
            return;
        }
        self.flush_line();
        if self.list_depth == 0 && self.blocks.last().is_some_and(|l| !l.is_empty()) {
            self.blocks.push(String::new());
        }
    }

    fn finish(mut self) -> String {
        if self.in_code {
            self.line.push('`');
        }
        self.flush_line();
        if self.in_pre {
            self.blocks.push("```".to_string());
        }
        while self.blocks.last().is_some_and(|l| l.is_empty()) {
            self.blocks.pop();
        }
        // Collapse runs of blank lines.
        let mut out: Vec<&str> = Vec::new();
        for line in &self.blocks {
            if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
                continue;
            }
            out.push(line);
        }
        out.join("\n")
    }
}

/// rustdoc warns about bare URLs: wrap those outside links and code spans in `<...>`.
fn wrap_bare_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(pos) = rest.find("http") {
        let (before, candidate) = rest.split_at(pos);
        out.push_str(before);
        let in_code = out.matches('`').count() % 2 == 1;
        let linked = out.ends_with('(') || out.ends_with('<');
        if !(candidate.starts_with("https://") || candidate.starts_with("http://"))
            || in_code
            || linked
        {
            out.push_str("http");
            rest = &candidate[4..];
            continue;
        }
        let end = candidate
            .find(|c: char| c.is_whitespace() || c == ')' || c == '&' || c == '`')
            .unwrap_or(candidate.len());
        let url = candidate[..end].trim_end_matches(['.', ',', ';', ':']);
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &candidate[url.len()..];
    }
    out.push_str(rest);
    out
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<String> {
    let pos = tag.find(&format!("{name}="))?;
    let value = &tag[pos + name.len() + 1..];
    let quote = value.chars().next()?;
    let value: &'a str = if quote == '"' || quote == '\'' {
        let inner = &value[1..];
        &inner[..inner.find(quote)?]
    } else {
        value.split_whitespace().next()?
    };
    Some(decode_entities(value.trim()))
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let entity_end = rest.find(';').filter(|&e| e <= 10);
        let decoded = entity_end.and_then(|e| {
            let entity = &rest[1..e];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => entity
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::html_to_rustdoc;

    #[test]
    fn paragraphs_code_and_links() {
        let html = "<p>Deletes a repository. Use <code>force</code> to delete images.</p> <p>See <a href=\"https://docs.aws.amazon.com/ecr\">the guide</a>.</p>";
        assert_eq!(
            html_to_rustdoc(html),
            "Deletes a repository. Use `force` to delete images.\n\nSee [the guide](https://docs.aws.amazon.com/ecr)."
        );
    }

    #[test]
    fn lists_become_markdown_lists() {
        let html = "<p>Types:</p><ul><li><p><code>AES256</code> - managed keys</p></li><li>KMS</li></ul><p>End</p>";
        assert_eq!(
            html_to_rustdoc(html),
            "Types:\n\n- `AES256` - managed keys\n- KMS\n\nEnd"
        );
    }

    #[test]
    fn a_further_paragraph_of_an_item_stays_indented_even_when_it_starts_with_code() {
        let html = "<ul><li><p>Use this syntax:</p><p><code>a=b</code></p></li></ul>";
        assert_eq!(html_to_rustdoc(html), "- Use this syntax:\n  `a=b`");
    }

    #[test]
    fn text_after_a_nested_list_is_a_new_paragraph_of_the_item() {
        let html = "<ul><li><p>Parts:</p><ul><li><p>one</p></li><li><p>two</p></li></ul>\
                    <p>For example <code>a.b</code>:</p><p><code>x</code></p></li><li>next</li></ul>";
        assert_eq!(
            html_to_rustdoc(html),
            "- Parts:\n  - one\n  - two\n\n  For example `a.b`:\n  `x`\n- next"
        );
    }

    #[test]
    fn markdown_significant_text_is_escaped() {
        assert_eq!(
            html_to_rustdoc("Use [name] &lt;tag&gt; *all* a_b"),
            "Use \\[name\\] &lt;tag&gt; \\*all\\* a\\_b"
        );
    }

    #[test]
    fn bare_urls_are_wrapped() {
        assert_eq!(
            html_to_rustdoc("See https://example.com/x. Or http://a.b"),
            "See <https://example.com/x>. Or <http://a.b>"
        );
    }

    #[test]
    fn entities_are_decoded_in_code() {
        assert_eq!(html_to_rustdoc("<code>a &amp; b</code>"), "`a & b`");
    }

    #[test]
    fn relative_links_keep_their_text() {
        assert_eq!(html_to_rustdoc("<a href=\"/x\">text</a>"), "text");
        // An unbalanced `(` would end the link early (rustdoc then sees a bare URL).
        assert_eq!(
            html_to_rustdoc("<a href=\"https://x.org/a_(b%29/c\">spec</a>"),
            "[spec](https://x.org/a_%28b%29/c)"
        );
    }
}
