//! A tiny regular-expression matcher for the `regionRegex` of partition data.
//!
//! The patterns AWS publishes are simple, such as `^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`
//! and `^eusc\-(de)\-\w+\-\d+$`. Rather than link a regex engine for them, this module supports
//! the subset they (and plausible user overrides) use, and rejects anything else with a clear
//! error when the partition data is loaded:
//!
//! - literal characters, and `\` before any punctuation to make it literal (`\-`, `\.`);
//! - `.` (any character), `\d` (ASCII digit), `\w` (ASCII letter, digit or `_`), `\s` (ASCII
//!   whitespace), and their negations `\D`, `\W`, `\S`;
//! - character classes `[a-z0-9_]`, negated `[^...]`, with ranges and the escapes above;
//! - groups `(...)` and `(?:...)` with alternatives `a|b`, also at the top level;
//! - quantifiers `*`, `+`, `?` and `{n}`, `{n,}`, `{n,m}`;
//! - anchors `^` and `$`. Without `^`, a match may start anywhere, as with `Regex::is_match`.
//!
//! Patterns compile to a small NFA that is run breadth-first (Pike's VM): no recursion over the
//! input and no backtracking, so time is linear in the input whatever the pattern, and a hostile
//! region name cannot exhaust the stack.

use std::fmt;

/// A compiled pattern.
#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    source: String,
    /// The whole pattern, compiled.
    program: Vec<Inst>,
}

/// Why a pattern was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PatternError {
    pub(crate) pattern: String,
    pub(crate) reason: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unsupported or invalid pattern {:?}: {}",
            self.pattern, self.reason
        )
    }
}

#[derive(Clone, Debug)]
enum Node {
    Char(char),
    Any,
    Class(Class),
    Group(Vec<Vec<Node>>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
    Start,
    End,
}

#[derive(Clone, Debug)]
struct Class {
    negated: bool,
    items: Vec<ClassItem>,
}

#[derive(Clone, Copy, Debug)]
enum ClassItem {
    Range(char, char),
    Digit(bool),
    Word(bool),
    Space(bool),
}

impl ClassItem {
    fn matches(self, c: char) -> bool {
        match self {
            ClassItem::Range(lo, hi) => lo <= c && c <= hi,
            ClassItem::Digit(positive) => c.is_ascii_digit() == positive,
            ClassItem::Word(positive) => (c.is_ascii_alphanumeric() || c == '_') == positive,
            ClassItem::Space(positive) => c.is_ascii_whitespace() == positive,
        }
    }
}

impl Class {
    fn matches(&self, c: char) -> bool {
        self.items.iter().any(|item| item.matches(c)) != self.negated
    }
}

impl Pattern {
    /// Compiles `source`, or says what part of it is not supported.
    pub(crate) fn new(source: &str) -> Result<Self, PatternError> {
        let mut parser = Parser {
            chars: source.chars().collect(),
            pos: 0,
            depth: 0,
        };
        let result = parser.alternatives().and_then(|alternatives| {
            if parser.pos < parser.chars.len() {
                Err("unbalanced `)`".to_owned())
            } else {
                compile(&Node::Group(alternatives))
            }
        });
        match result {
            Ok(program) => Ok(Self {
                source: source.to_owned(),
                program,
            }),
            Err(reason) => Err(PatternError {
                pattern: source.to_owned(),
                reason,
            }),
        }
    }

    /// The pattern as written.
    pub(crate) fn as_str(&self) -> &str {
        &self.source
    }

    /// True if the pattern matches somewhere in `input` (anchors restrict where).
    pub(crate) fn is_match(&self, input: &str) -> bool {
        let chars: Vec<char> = input.chars().collect();
        run(&self.program, &chars)
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

/// Nesting deeper than this is refused (it would only serve to exhaust the stack).
const MAX_DEPTH: usize = 32;
/// Counted repetition above this is refused.
const MAX_COUNT: u32 = 1000;

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn alternatives(&mut self) -> Result<Vec<Vec<Node>>, String> {
        let mut alternatives = vec![self.sequence()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            alternatives.push(self.sequence()?);
        }
        Ok(alternatives)
    }

    fn sequence(&mut self) -> Result<Vec<Node>, String> {
        let mut nodes = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            self.pos += 1;
            let atom = match c {
                '^' => Node::Start,
                '$' => Node::End,
                '.' => Node::Any,
                '(' => self.group()?,
                '[' => Node::Class(self.class()?),
                '\\' => self.escape()?,
                '*' | '+' | '?' | '{' => {
                    return Err(format!("`{c}` at offset {} repeats nothing", self.pos - 1))
                }
                ']' | '}' => Node::Char(c),
                c => Node::Char(c),
            };
            let atom = self.quantified(atom)?;
            nodes.push(atom);
        }
        Ok(nodes)
    }

    fn group(&mut self) -> Result<Node, String> {
        if self.depth >= MAX_DEPTH {
            return Err("groups nested too deeply".to_owned());
        }
        if self.peek() == Some('?') {
            if self.chars.get(self.pos + 1) == Some(&':') {
                self.pos += 2;
            } else {
                return Err("only `(?:` group modifiers are supported".to_owned());
            }
        }
        self.depth += 1;
        let alternatives = self.alternatives()?;
        self.depth -= 1;
        if self.next() != Some(')') {
            return Err("missing `)`".to_owned());
        }
        Ok(Node::Group(alternatives))
    }

    fn escape(&mut self) -> Result<Node, String> {
        let c = self.next().ok_or("trailing `\\`")?;
        Ok(match c {
            'd' | 'D' | 'w' | 'W' | 's' | 'S' => Node::Class(Class {
                negated: false,
                items: vec![class_escape(c)],
            }),
            c if c.is_ascii_punctuation() => Node::Char(c),
            c => return Err(format!("unsupported escape `\\{c}`")),
        })
    }

    fn class(&mut self) -> Result<Class, String> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let c = self.next().ok_or("missing `]`")?;
            if c == ']' && !first {
                break;
            }
            first = false;
            let lo = match c {
                '\\' => {
                    let e = self.next().ok_or("trailing `\\`")?;
                    match e {
                        'd' | 'D' | 'w' | 'W' | 's' | 'S' => {
                            items.push(class_escape(e));
                            continue;
                        }
                        e if e.is_ascii_punctuation() => e,
                        e => return Err(format!("unsupported escape `\\{e}` in a class")),
                    }
                }
                '[' => return Err("nested `[` in a class is not supported".to_owned()),
                c => c,
            };
            let is_range =
                self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']');
            if is_range {
                self.pos += 1;
                let hi = match self.next().ok_or("missing `]`")? {
                    '\\' => self.next().ok_or("trailing `\\`")?,
                    hi => hi,
                };
                if hi < lo {
                    return Err(format!("range `{lo}-{hi}` is backwards"));
                }
                items.push(ClassItem::Range(lo, hi));
            } else {
                items.push(ClassItem::Range(lo, lo));
            }
        }
        Ok(Class { negated, items })
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, String> {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                self.pos += 1;
                return self.counted(atom);
            }
            _ => return Ok(atom),
        };
        self.pos += 1;
        self.repeat(atom, min, max)
    }

    fn counted(&mut self, atom: Node) -> Result<Node, String> {
        let min = self.number()?.ok_or("`{` must be followed by a count")?;
        let max = if self.peek() == Some(',') {
            self.pos += 1;
            self.number()?
        } else {
            Some(min)
        };
        if self.next() != Some('}') {
            return Err("missing `}` after a count".to_owned());
        }
        if max.is_some_and(|max| max < min) {
            return Err("counted repetition `{n,m}` with m < n".to_owned());
        }
        self.repeat(atom, min, max)
    }

    fn number(&mut self) -> Result<Option<u32>, String> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if start == self.pos {
            return Ok(None);
        }
        let digits: String = self.chars[start..self.pos].iter().collect();
        match digits.parse::<u32>() {
            Ok(n) if n <= MAX_COUNT => Ok(Some(n)),
            _ => Err(format!("count above {MAX_COUNT}")),
        }
    }

    fn repeat(&mut self, atom: Node, min: u32, max: Option<u32>) -> Result<Node, String> {
        if matches!(atom, Node::Start | Node::End | Node::Repeat { .. }) {
            return Err("a quantifier must follow a character, class or group".to_owned());
        }
        if matches!(self.peek(), Some('*' | '+' | '?' | '{')) {
            return Err("lazy or possessive quantifiers are not supported".to_owned());
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }
}

fn class_escape(c: char) -> ClassItem {
    match c {
        'd' => ClassItem::Digit(true),
        'D' => ClassItem::Digit(false),
        'w' => ClassItem::Word(true),
        'W' => ClassItem::Word(false),
        's' => ClassItem::Space(true),
        _ => ClassItem::Space(false),
    }
}

/// One instruction of the compiled matcher (a Thompson NFA, as in Pike's VM).
#[derive(Clone, Debug)]
enum Inst {
    Char(char),
    Any,
    Class(Class),
    /// Continue at both; the order does not matter, only whether any thread matches.
    Split(usize, usize),
    Jmp(usize),
    Start,
    End,
    Match,
}

/// A compiled pattern larger than this is refused: `(a{1000}){1000}` would be a million steps.
const MAX_PROGRAM: usize = 10_000;

fn compile(root: &Node) -> Result<Vec<Inst>, String> {
    let mut program = Vec::new();
    emit(root, &mut program)?;
    program.push(Inst::Match);
    Ok(program)
}

/// Appends the instructions for `node`. Recursion follows the pattern's nesting, which the
/// parser bounds by [`MAX_DEPTH`].
fn emit(node: &Node, program: &mut Vec<Inst>) -> Result<(), String> {
    if program.len() > MAX_PROGRAM {
        return Err(format!(
            "the pattern is too large (more than {MAX_PROGRAM} steps once repetitions are expanded)"
        ));
    }
    match node {
        Node::Char(c) => program.push(Inst::Char(*c)),
        Node::Any => program.push(Inst::Any),
        Node::Class(class) => program.push(Inst::Class(class.clone())),
        Node::Start => program.push(Inst::Start),
        Node::End => program.push(Inst::End),
        Node::Group(alternatives) => {
            let mut jumps_to_end = Vec::new();
            for (i, alternative) in alternatives.iter().enumerate() {
                let is_last = i + 1 == alternatives.len();
                let split = program.len();
                if !is_last {
                    program.push(Inst::Split(split + 1, 0)); // second target patched below
                }
                for node in alternative {
                    emit(node, program)?;
                }
                if !is_last {
                    jumps_to_end.push(program.len());
                    program.push(Inst::Jmp(0));
                    let next = program.len();
                    program[split] = Inst::Split(split + 1, next);
                }
            }
            let end = program.len();
            for jump in jumps_to_end {
                program[jump] = Inst::Jmp(end);
            }
        }
        Node::Repeat { node, min, max } => {
            for _ in 0..*min {
                emit(node, program)?;
            }
            match max {
                None => {
                    let split = program.len();
                    program.push(Inst::Split(split + 1, 0));
                    emit(node, program)?;
                    program.push(Inst::Jmp(split));
                    let out = program.len();
                    program[split] = Inst::Split(split + 1, out);
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(program.len());
                        program.push(Inst::Split(program.len() + 1, 0));
                        emit(node, program)?;
                    }
                    let out = program.len();
                    for split in splits {
                        program[split] = Inst::Split(split + 1, out);
                    }
                }
            }
        }
    }
    Ok(())
}

/// Runs `program` over `input`, starting a thread at every position (an unanchored search).
/// Time is at most the input length times the program length; memory is the program length;
/// nothing recurses.
fn run(program: &[Inst], input: &[char]) -> bool {
    let mut current: Vec<usize> = Vec::with_capacity(program.len());
    let mut next: Vec<usize> = Vec::with_capacity(program.len());
    // `seen[pc] == generation`: pc is already in the list being built for this position.
    let mut seen = vec![usize::MAX; program.len()];
    let mut stack = Vec::new();
    for pos in 0..=input.len() {
        add_thread(
            program,
            &mut current,
            &mut seen,
            &mut stack,
            0,
            pos,
            input.len(),
        );
        for &pc in &current {
            let accepts = match &program[pc] {
                Inst::Match => return true,
                Inst::Char(expected) => input.get(pos) == Some(expected),
                Inst::Any => input.get(pos).is_some_and(|&c| c != '\n'),
                Inst::Class(class) => input.get(pos).is_some_and(|&c| class.matches(c)),
                _ => false,
            };
            if accepts {
                add_thread(
                    program,
                    &mut next,
                    &mut seen,
                    &mut stack,
                    pc + 1,
                    pos + 1,
                    input.len(),
                );
            }
        }
        std::mem::swap(&mut current, &mut next);
        next.clear();
    }
    false
}

/// Adds `start` and everything reachable from it without consuming input to `list`.
fn add_thread(
    program: &[Inst],
    list: &mut Vec<usize>,
    seen: &mut [usize],
    stack: &mut Vec<usize>,
    start: usize,
    pos: usize,
    len: usize,
) {
    stack.push(start);
    while let Some(pc) = stack.pop() {
        if seen[pc] == pos {
            continue;
        }
        seen[pc] = pos;
        match program[pc] {
            Inst::Jmp(to) => stack.push(to),
            Inst::Split(a, b) => {
                stack.push(b);
                stack.push(a);
            }
            Inst::Start if pos == 0 => stack.push(pc + 1),
            Inst::End if pos == len => stack.push(pc + 1),
            Inst::Start | Inst::End => {}
            _ => list.push(pc),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_match(pattern: &str, input: &str) -> bool {
        Pattern::new(pattern).unwrap().is_match(input)
    }

    #[test]
    fn aws_region_patterns() {
        let aws = r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$";
        for region in [
            "us-east-1",
            "eu-central-2",
            "mx-central-1",
            "ap-southeast-7",
        ] {
            assert!(is_match(aws, region), "{region}");
        }
        for region in [
            "cn-north-1",
            "us-east-",
            "us-east-1a",
            "xus-east-1",
            "us--1",
            "",
        ] {
            assert!(!is_match(aws, region), "{region}");
        }
        let eusc = r"^eusc\-(de)\-\w+\-\d+$";
        assert!(is_match(eusc, "eusc-de-east-1"));
        assert!(!is_match(eusc, "eusc-fr-east-1"));
        let gov = r"^us\-gov\-\w+\-\d+$";
        assert!(is_match(gov, "us-gov-west-1"));
        assert!(!is_match(gov, "us-west-1"));
        let iso = r"^us\-iso\-\w+\-\d+$";
        assert!(is_match(iso, "us-iso-east-1"));
        assert!(!is_match(iso, "us-isob-east-1"));
    }

    #[test]
    fn the_aws_pattern_does_not_claim_other_partitions() {
        // "us-gov-west-1" has three dashes: `\w+` cannot contain '-', so the aws pattern fails.
        let aws = r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$";
        assert!(!is_match(aws, "us-gov-west-1"));
        assert!(!is_match(aws, "us-iso-east-1"));
    }

    #[test]
    fn general_features() {
        assert!(is_match("b+", "abbbc"));
        assert!(!is_match("^b+", "abbbc"));
        assert!(is_match("^a(b|c)*d$", "abcbd"));
        assert!(is_match("^a(?:b|c)?d$", "ad"));
        assert!(is_match("^[a-c0-9_]{2,3}$", "a9_"));
        assert!(!is_match("^[a-c0-9_]{2,3}$", "a9_b"));
        assert!(is_match("^[^a-c]$", "z"));
        assert!(!is_match("^[^a-c]$", "b"));
        assert!(is_match(r"^\d{3}\.\d$", "123.4"));
        assert!(is_match("^x{2,}$", "xxxx"));
        assert!(is_match("^(a|ab)c$", "abc"), "backtracks into the group");
        assert!(is_match("^a.c$", "abc"));
        assert!(is_match("^[-a]+$", "a-a"));
        assert!(is_match("^(|x)$", ""));
        assert!(is_match("^(a*)*$", "aaa"), "empty loops terminate");
        assert!(!is_match("^(a*)*$", "aab"));
    }

    #[test]
    fn rejects_what_it_does_not_support() {
        for bad in [
            "(",
            "a)",
            "[abc",
            "a{2",
            "*a",
            "a**",
            "a+?",
            r"\p{L}",
            "(?i)a",
            "[z-a]",
            r"a\",
            "a{3,1}",
            "a{99999}",
            "(a{1000}){1000}",
        ] {
            let error = Pattern::new(bad).unwrap_err();
            assert_eq!(error.pattern, bad);
            assert!(!error.reason.is_empty());
        }
    }

    #[test]
    fn long_inputs_and_pathological_patterns_neither_recurse_nor_backtrack() {
        // A 64 KiB stack: the old backtracking matcher recursed once per character.
        std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(|| {
                let aws = r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$";
                let long = format!("us-{}-1", "a".repeat(100_000));
                assert!(is_match(aws, &long));
                assert!(!is_match(aws, &format!("{long}x")));
                // Exponential for a backtracking matcher, linear here.
                let many_a = "a".repeat(5_000);
                assert!(!is_match("^(a*)*b$", &many_a));
                assert!(!is_match("^(a|a)*b$", &many_a));
                assert!(is_match("^(a|a)*$", &many_a));
            })
            .unwrap()
            .join()
            .unwrap();
    }
}
