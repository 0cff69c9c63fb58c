//! A small XML reader for STS answers and errors.
//!
//! STS answers are a few nested elements holding text
//! (`<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>..`), and errors are
//! `<ErrorResponse><Error><Code>..</Code><Message>..</Message></Error></ErrorResponse>`. This
//! reads such a document into a tree of elements: names without their namespace prefix,
//! attributes skipped, text with the five predefined entities and character references decoded,
//! CDATA kept as text, and the prolog (`<?xml ..?>`, comments, `<!DOCTYPE ..>`) skipped. Anything
//! malformed is an error with its byte offset, never a panic. Nesting is limited to
//! [`MAX_DEPTH`] levels (STS needs four), so no document can exhaust the stack.

use std::fmt;

/// The deepest nesting accepted: far more than any AWS answer has.
pub(crate) const MAX_DEPTH: usize = 32;

/// One element: its local name, its own text (child elements' text excluded) and its children.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) text: String,
    pub(crate) children: Vec<Element>,
}

impl Element {
    /// The first child named `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The element reached by following child names from this one.
    pub(crate) fn path(&self, names: &[&str]) -> Option<&Element> {
        names
            .iter()
            .try_fold(self, |element, name| element.child(name))
    }

    /// The text of the element at `names` below this one, if it has any.
    pub(crate) fn text_at(&self, names: &[&str]) -> Option<&str> {
        self.path(names)
            .map(|e| e.text.as_str())
            .filter(|t| !t.is_empty())
    }
}

/// The document is not well-formed XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlError {
    offset: usize,
    reason: String,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid XML at byte {}: {}", self.offset, self.reason)
    }
}

impl std::error::Error for XmlError {}

/// Parses `doc` and returns its root element.
pub(crate) fn parse(doc: &str) -> Result<Element, XmlError> {
    let mut reader = Reader { doc, pos: 0 };
    // Elements being read, innermost last.
    let mut open: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let Some(lt) = doc[reader.pos..].find('<').map(|i| reader.pos + i) else {
            let rest = &doc[reader.pos..];
            if !open.is_empty() {
                return Err(reader.error(doc.len(), "the document ends inside an element"));
            }
            if !rest.trim().is_empty() {
                return Err(reader.error(reader.pos, "text after the root element"));
            }
            break;
        };
        let text = &doc[reader.pos..lt];
        match open.last_mut() {
            Some(element) => decode_into(&mut element.text, text, reader.pos)?,
            None if !text.trim().is_empty() => {
                return Err(reader.error(reader.pos, "text outside the root element"));
            }
            None => {}
        }
        reader.pos = lt;
        let rest = &doc[lt..];
        if rest.starts_with("<?") {
            reader.skip_past("?>")?;
        } else if rest.starts_with("<!--") {
            reader.skip_past("-->")?;
        } else if rest.starts_with("<![CDATA[") {
            let start = lt + "<![CDATA[".len();
            let Some(element) = open.last_mut() else {
                return Err(reader.error(lt, "CDATA outside the root element"));
            };
            let end = doc[start..]
                .find("]]>")
                .ok_or_else(|| reader.error(lt, "unterminated CDATA section"))?;
            element.text.push_str(&doc[start..start + end]);
            reader.pos = start + end + 3;
        } else if rest.starts_with("<!") {
            if !open.is_empty() || root.is_some() {
                return Err(reader.error(lt, "a declaration inside the document"));
            }
            reader.skip_declaration()?;
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after
                .find('>')
                .ok_or_else(|| reader.error(lt, "unterminated end tag"))?;
            let name = local_name(after[..end].trim_end());
            let Some(element) = open.pop() else {
                return Err(reader.error(lt, "an end tag without a start tag"));
            };
            if element.name != name {
                return Err(reader.error(lt, &format!("`</{name}>` closes `<{}>`", element.name)));
            }
            reader.pos = lt + 2 + end + 1;
            finish(element, &mut open, &mut root, &reader, lt)?;
        } else {
            let (name, self_closing) = reader.start_tag()?;
            let element = Element {
                name,
                ..Element::default()
            };
            if self_closing {
                finish(element, &mut open, &mut root, &reader, lt)?;
            } else {
                if root.is_some() {
                    return Err(reader.error(lt, "a second root element"));
                }
                if open.len() == MAX_DEPTH {
                    return Err(reader.error(lt, "elements nested too deeply"));
                }
                open.push(element);
            }
        }
    }
    root.ok_or_else(|| reader.error(0, "no root element"))
}

/// Attaches a completed element to its parent, or makes it the root.
fn finish(
    element: Element,
    open: &mut [Element],
    root: &mut Option<Element>,
    reader: &Reader<'_>,
    at: usize,
) -> Result<(), XmlError> {
    match open.last_mut() {
        Some(parent) => parent.children.push(element),
        None if root.is_some() => return Err(reader.error(at, "a second root element")),
        None => *root = Some(element),
    }
    Ok(())
}

struct Reader<'a> {
    doc: &'a str,
    pos: usize,
}

impl Reader<'_> {
    fn error(&self, offset: usize, reason: &str) -> XmlError {
        XmlError {
            offset,
            reason: reason.to_owned(),
        }
    }

    fn skip_past(&mut self, end: &str) -> Result<(), XmlError> {
        match self.doc[self.pos..].find(end) {
            Some(i) => {
                self.pos += i + end.len();
                Ok(())
            }
            None => Err(self.error(self.pos, &format!("no closing `{end}`"))),
        }
    }

    /// `<!DOCTYPE ...>`, which may hold quoted strings and an internal subset in brackets.
    fn skip_declaration(&mut self) -> Result<(), XmlError> {
        let start = self.pos;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        for (i, c) in self.doc[start..].char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[') => depth += 1,
                (None, ']') => depth = depth.saturating_sub(1),
                (None, '>') if depth == 0 => {
                    self.pos = start + i + 1;
                    return Ok(());
                }
                _ => {}
            }
        }
        Err(self.error(start, "unterminated declaration"))
    }

    /// Reads `<name attr="v" ...>` or `<name/>` at `pos`; returns the local name and whether
    /// the tag closes itself.
    fn start_tag(&mut self) -> Result<(String, bool), XmlError> {
        let start = self.pos;
        let body = &self.doc[start + 1..];
        let name_len = body
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .ok_or_else(|| self.error(start, "unterminated start tag"))?;
        let name = &body[..name_len];
        if name.is_empty() || !name.chars().all(is_name_char) {
            return Err(self.error(start, "a start tag without a valid name"));
        }
        let mut quote: Option<char> = None;
        for (i, c) in body[name_len..].char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), '<') => return Err(self.error(start, "`<` in an attribute value")),
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '>') => {
                    let tag_end = name_len + i;
                    let self_closing = body[..tag_end].ends_with('/');
                    self.pos = start + 1 + tag_end + 1;
                    return Ok((local_name(name).to_owned(), self_closing));
                }
                (None, '<') => return Err(self.error(start, "unterminated start tag")),
                _ => {}
            }
        }
        Err(self.error(start, "unterminated start tag"))
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || !c.is_ascii() || matches!(c, '_' | '-' | '.' | ':')
}

/// `sts:Code` -> `Code`.
fn local_name(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Appends `text` to `out` with entity and character references decoded.
fn decode_into(out: &mut String, text: &str, offset: usize) -> Result<(), XmlError> {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after
            .find(';')
            .filter(|&i| i <= 10)
            .ok_or_else(|| XmlError {
                offset: offset + (text.len() - rest.len()) + amp,
                reason: "an unterminated entity reference".to_owned(),
            })?;
        let entity = &after[..semi];
        let decoded = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => out.push(c),
            None => {
                return Err(XmlError {
                    offset: offset + (text.len() - rest.len()) + amp,
                    reason: format!("unknown entity `&{entity};`"),
                })
            }
        }
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ASSUME_ROLE: &str = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROAR42TAWARILN3MNKUT:session</AssumedRoleId>
      <Arn>arn:aws:sts::130633740322:assumed-role/test/session</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIARCORRECT</AccessKeyId>
      <SecretAccessKey>secret/with+chars&amp;more</SecretAccessKey>
      <SessionToken><![CDATA[token<&>]]></SessionToken>
      <Expiration>2021-09-21T18:41:26Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>d9d47248</RequestId></ResponseMetadata>
</AssumeRoleResponse>
"#;

    #[test]
    fn reads_an_assume_role_answer() {
        let root = parse(ASSUME_ROLE).unwrap();
        assert_eq!(root.name, "AssumeRoleResponse");
        let creds = root.path(&["AssumeRoleResult", "Credentials"]).unwrap();
        assert_eq!(creds.text_at(&["AccessKeyId"]), Some("ASIARCORRECT"));
        assert_eq!(
            creds.text_at(&["SecretAccessKey"]),
            Some("secret/with+chars&more")
        );
        assert_eq!(creds.text_at(&["SessionToken"]), Some("token<&>"));
        assert_eq!(
            root.text_at(&["AssumeRoleResult", "AssumedRoleUser", "Arn"]),
            Some("arn:aws:sts::130633740322:assumed-role/test/session")
        );
        assert_eq!(
            root.text_at(&["ResponseMetadata", "RequestId"]),
            Some("d9d47248")
        );
        assert_eq!(root.text_at(&["Missing"]), None);
    }

    #[test]
    fn reads_an_error_with_prolog_prefixes_and_references() {
        let doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c -->\n\
                   <!DOCTYPE x [<!ENTITY e \"v>\">]>\n\
                   <sts:ErrorResponse xmlns:sts='x' a='1>2'><sts:Error><Type>Sender</Type>\
                   <Code>InvalidIdentityToken</Code><Message>No &quot;provider&quot; &#233;&#xE9; &lt;x&gt;</Message>\
                   <Empty/><Spaced >v</Spaced ></sts:Error></sts:ErrorResponse>";
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "ErrorResponse");
        assert_eq!(
            root.text_at(&["Error", "Code"]),
            Some("InvalidIdentityToken")
        );
        assert_eq!(
            root.text_at(&["Error", "Message"]),
            Some("No \"provider\" éé <x>")
        );
        assert_eq!(root.path(&["Error", "Empty"]).unwrap().text, "");
        assert_eq!(root.text_at(&["Error", "Spaced"]), Some("v"));
    }

    #[test]
    fn malformed_documents_are_errors() {
        for doc in [
            "",
            "   ",
            "plain text",
            "<a>",
            "<a></b>",
            "<a></a><b></b>",
            "<a></a>trailing",
            "</a>",
            "<a>&unknown;</a>",
            "<a>&amp</a>",
            "<a>&#xZZ;</a>",
            "<a>&#1114112;</a>",
            "<a x='unterminated></a>",
            "<a><![CDATA[never ends</a>",
            "<a><!-- never ends</a>",
            "<>",
            "<a",
            "<a><b></a>",
            "<!DOCTYPE never ends",
        ] {
            let error = parse(doc).unwrap_err();
            assert!(
                error.to_string().starts_with("invalid XML at byte "),
                "{doc}: {error}"
            );
        }
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let nested = |depth: usize| "<a>".repeat(depth) + &"</a>".repeat(depth);
        let mut element = &parse(&nested(MAX_DEPTH)).unwrap();
        let mut seen = 1;
        while let Some(child) = element.child("a") {
            element = child;
            seen += 1;
        }
        assert_eq!(seen, MAX_DEPTH);
        let error = parse(&nested(100_000)).unwrap_err();
        assert!(error.to_string().contains("nested too deeply"), "{error}");
    }
}
