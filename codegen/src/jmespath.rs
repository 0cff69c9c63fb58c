//! JMESPath for waiter acceptors, compiled at generation time.
//!
//! [`parse`] reads the subset of JMESPath that AWS waiters use (sub-expressions, index, `[*]` and
//! flatten `[]` projections, filter projections `[? ]`, comparisons, `&&` / `||` / `!`,
//! parentheses, `@`, raw string and JSON literals, `|`, and the functions `length` and
//! `contains`); anything else is an error. [`check`] then types the expression against the IR
//! structures, so the emitter can turn it into plain Rust accessor code: there is no JMESPath
//! interpreter at run time.
//!
//! Values are typed statically: strings (and string enums, by their value), numbers (every
//! integer and float type, as `f64`), booleans, structures, and lists of those. A path that
//! cannot produce a value of its type in the model (a field of a list, a comparison of a string
//! with a number) is an error at generation time rather than a silent `null` at run time.

use std::fmt;

use crate::ir::{Crate, MemberIr, NamedKind, Presence, RustType, StructIr, TypeDecl};

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ast {
    /// `@`, or the implicit current node.
    Identity,
    /// `name` or `"name"`.
    Field(String),
    /// `a.b`.
    Subexpr(Box<Ast>, Box<Ast>),
    /// `a[0]`, `a[-1]`.
    Index(Box<Ast>, i64),
    /// `lhs[*].rhs`, `lhs[].rhs`: `rhs` applied to every element of the list `lhs`.
    Projection(Box<Ast>, Box<Ast>),
    /// `lhs[]` before its projection: one level of nested lists merged.
    Flatten(Box<Ast>),
    /// `lhs[?cond].rhs`.
    Filter {
        lhs: Box<Ast>,
        cond: Box<Ast>,
        rhs: Box<Ast>,
    },
    /// `a | b`.
    Pipe(Box<Ast>, Box<Ast>),
    Compare(CompareOp, Box<Ast>, Box<Ast>),
    And(Box<Ast>, Box<Ast>),
    Or(Box<Ast>, Box<Ast>),
    Not(Box<Ast>),
    Literal(Literal),
    Function(String, Vec<Ast>),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A literal value (`'text'` or `` `json` ``); arrays and objects are not supported.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Quoted(String),
    Number(i64),
    RawString(String),
    Json(serde_json::Value),
    Dot,
    Star,
    Flatten,
    Filter,
    LBracket,
    RBracket,
    LParen,
    RParen,
    LBrace,
    RBrace,
    Comma,
    Colon,
    Pipe,
    Or,
    And,
    Not,
    Ampersand,
    At,
    Cmp(CompareOp),
    Eof,
}

impl Token {
    /// Left binding powers, as in the JMESPath reference parser.
    fn lbp(&self) -> u8 {
        match self {
            Token::Pipe => 1,
            Token::Or => 2,
            Token::And => 3,
            Token::Cmp(_) => 5,
            Token::Flatten => 9,
            Token::Star => 20,
            Token::Filter => 21,
            Token::Dot => 40,
            Token::Not => 45,
            Token::LBrace => 50,
            Token::LBracket => 55,
            Token::LParen => 60,
            _ => 0,
        }
    }
}

fn lex(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    // Reads up to the closing `end`, honouring backslash escapes of `end`.
    let delimited = |i: &mut usize, end: char| -> Result<String, String> {
        let start = *i;
        *i += 1;
        let mut out = String::new();
        while *i < chars.len() {
            match chars[*i] {
                '\\' if chars.get(*i + 1) == Some(&end) => {
                    out.push(end);
                    *i += 2;
                }
                c if c == end => {
                    *i += 1;
                    return Ok(out);
                }
                c => {
                    out.push(c);
                    *i += 1;
                }
            }
        }
        Err(format!("unterminated `{end}` starting at offset {start}"))
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let token = match c {
            ' ' | '\t' | '\n' | '\r' => {
                i += 1;
                continue;
            }
            'a'..='z' | 'A'..='Z' | '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                tokens.push(Token::Ident(chars[start..i].iter().collect()));
                continue;
            }
            '0'..='9' | '-' => {
                let start = i;
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let digits: String = chars[start..i].iter().collect();
                let n = digits
                    .parse()
                    .map_err(|_| format!("`{digits}` is not a number"))?;
                tokens.push(Token::Number(n));
                continue;
            }
            '"' => {
                let raw = delimited(&mut i, '"')?;
                let name: String = serde_json::from_str(&format!("\"{raw}\""))
                    .map_err(|e| format!("bad quoted identifier \"{raw}\": {e}"))?;
                tokens.push(Token::Quoted(name));
                continue;
            }
            '\'' => {
                let raw = delimited(&mut i, '\'')?;
                tokens.push(Token::RawString(raw));
                continue;
            }
            '`' => {
                let raw = delimited(&mut i, '`')?;
                let value = serde_json::from_str(raw.trim())
                    .map_err(|e| format!("bad JSON literal `{raw}`: {e}"))?;
                tokens.push(Token::Json(value));
                continue;
            }
            '.' => Token::Dot,
            '*' => Token::Star,
            '[' if next == Some(']') => {
                i += 1;
                Token::Flatten
            }
            '[' if next == Some('?') => {
                i += 1;
                Token::Filter
            }
            '[' => Token::LBracket,
            ']' => Token::RBracket,
            '(' => Token::LParen,
            ')' => Token::RParen,
            '{' => Token::LBrace,
            '}' => Token::RBrace,
            ',' => Token::Comma,
            ':' => Token::Colon,
            '@' => Token::At,
            '|' if next == Some('|') => {
                i += 1;
                Token::Or
            }
            '|' => Token::Pipe,
            '&' if next == Some('&') => {
                i += 1;
                Token::And
            }
            '&' => Token::Ampersand,
            '!' if next == Some('=') => {
                i += 1;
                Token::Cmp(CompareOp::Ne)
            }
            '!' => Token::Not,
            '=' if next == Some('=') => {
                i += 1;
                Token::Cmp(CompareOp::Eq)
            }
            '<' if next == Some('=') => {
                i += 1;
                Token::Cmp(CompareOp::Le)
            }
            '<' => Token::Cmp(CompareOp::Lt),
            '>' if next == Some('=') => {
                i += 1;
                Token::Cmp(CompareOp::Ge)
            }
            '>' => Token::Cmp(CompareOp::Gt),
            other => return Err(format!("unexpected character `{other}` at offset {i}")),
        };
        tokens.push(token);
        i += 1;
    }
    tokens.push(Token::Eof);
    Ok(tokens)
}

/// Parses a JMESPath expression, failing on anything outside the supported subset.
pub fn parse(text: &str) -> Result<Ast, String> {
    let mut parser = Parser {
        tokens: lex(text)?,
        pos: 0,
    };
    let ast = parser.expression(0)?;
    match parser.peek() {
        Token::Eof => Ok(ast),
        other => Err(format!("unexpected {other:?} after a complete expression")),
    }
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.pos]
    }

    fn peek_at(&self, ahead: usize) -> &Token {
        self.tokens.get(self.pos + ahead).unwrap_or(&Token::Eof)
    }

    fn advance(&mut self) -> Token {
        let token = self.tokens[self.pos].clone();
        if token != Token::Eof {
            self.pos += 1;
        }
        token
    }

    fn expect(&mut self, wanted: Token) -> Result<(), String> {
        let found = self.advance();
        if found == wanted {
            Ok(())
        } else {
            Err(format!("expected {wanted:?}, found {found:?}"))
        }
    }

    fn expression(&mut self, rbp: u8) -> Result<Ast, String> {
        let token = self.advance();
        let mut left = self.nud(token)?;
        while rbp < self.peek().lbp() {
            let token = self.advance();
            left = self.led(token, left)?;
        }
        Ok(left)
    }

    fn nud(&mut self, token: Token) -> Result<Ast, String> {
        Ok(match token {
            Token::Ident(name) | Token::Quoted(name) => Ast::Field(name),
            Token::At => Ast::Identity,
            Token::RawString(s) => Ast::Literal(Literal::Str(s)),
            Token::Json(value) => Ast::Literal(json_literal(value)?),
            Token::Not => Ast::Not(Box::new(self.expression(Token::Not.lbp())?)),
            Token::LParen => {
                let inner = self.expression(0)?;
                self.expect(Token::RParen)?;
                inner
            }
            Token::Flatten => {
                let rhs = self.projection_rhs(Token::Flatten.lbp())?;
                Ast::Projection(
                    Box::new(Ast::Flatten(Box::new(Ast::Identity))),
                    Box::new(rhs),
                )
            }
            Token::Filter => self.filter(Ast::Identity)?,
            Token::LBracket => match self.peek().clone() {
                Token::Number(n) => {
                    self.advance();
                    self.index_end()?;
                    Ast::Index(Box::new(Ast::Identity), n)
                }
                Token::Star if *self.peek_at(1) == Token::RBracket => {
                    self.advance();
                    self.advance();
                    let rhs = self.projection_rhs(Token::Star.lbp())?;
                    Ast::Projection(Box::new(Ast::Identity), Box::new(rhs))
                }
                Token::Colon => return Err("slices are not supported".to_string()),
                _ => return Err("multi-select lists are not supported".to_string()),
            },
            Token::Star => return Err("object wildcards (`*`) are not supported".to_string()),
            Token::LBrace => return Err("multi-select hashes are not supported".to_string()),
            Token::Ampersand => {
                return Err("expression references (`&`) are not supported".to_string())
            }
            other => return Err(format!("unexpected {other:?}")),
        })
    }

    fn led(&mut self, token: Token, left: Ast) -> Result<Ast, String> {
        Ok(match token {
            Token::Dot => {
                if *self.peek() == Token::Star {
                    return Err("object wildcards (`.*`) are not supported".to_string());
                }
                let rhs = self.dot_rhs(Token::Dot.lbp())?;
                Ast::Subexpr(Box::new(left), Box::new(rhs))
            }
            Token::LBracket => match self.peek().clone() {
                Token::Number(n) => {
                    self.advance();
                    self.index_end()?;
                    Ast::Index(Box::new(left), n)
                }
                Token::Star => {
                    self.advance();
                    self.expect(Token::RBracket)?;
                    let rhs = self.projection_rhs(Token::Star.lbp())?;
                    Ast::Projection(Box::new(left), Box::new(rhs))
                }
                Token::Colon => return Err("slices are not supported".to_string()),
                other => return Err(format!("unexpected {other:?} after `[`")),
            },
            Token::Flatten => {
                let rhs = self.projection_rhs(Token::Flatten.lbp())?;
                Ast::Projection(Box::new(Ast::Flatten(Box::new(left))), Box::new(rhs))
            }
            Token::Filter => self.filter(left)?,
            Token::Pipe => Ast::Pipe(
                Box::new(left),
                Box::new(self.expression(Token::Pipe.lbp())?),
            ),
            Token::Or => Ast::Or(Box::new(left), Box::new(self.expression(Token::Or.lbp())?)),
            Token::And => Ast::And(Box::new(left), Box::new(self.expression(Token::And.lbp())?)),
            Token::Cmp(op) => Ast::Compare(
                op,
                Box::new(left),
                Box::new(self.expression(Token::Cmp(op).lbp())?),
            ),
            Token::LParen => {
                let Ast::Field(name) = left else {
                    return Err("only a function name can be called".to_string());
                };
                let mut args = Vec::new();
                while *self.peek() != Token::RParen {
                    args.push(self.expression(0)?);
                    if *self.peek() == Token::Comma {
                        self.advance();
                    } else if *self.peek() != Token::RParen {
                        return Err(format!("expected `,` or `)` in the arguments of {name}"));
                    }
                }
                self.advance();
                Ast::Function(name, args)
            }
            other => return Err(format!("unexpected {other:?}")),
        })
    }

    fn index_end(&mut self) -> Result<(), String> {
        if *self.peek() == Token::Colon {
            return Err("slices are not supported".to_string());
        }
        self.expect(Token::RBracket)
    }

    fn filter(&mut self, left: Ast) -> Result<Ast, String> {
        let cond = self.expression(0)?;
        self.expect(Token::RBracket)?;
        let rhs = if *self.peek() == Token::Flatten {
            Ast::Identity
        } else {
            self.projection_rhs(Token::Filter.lbp())?
        };
        Ok(Ast::Filter {
            lhs: Box::new(left),
            cond: Box::new(cond),
            rhs: Box::new(rhs),
        })
    }

    fn projection_rhs(&mut self, bp: u8) -> Result<Ast, String> {
        match self.peek() {
            t if t.lbp() < 10 => Ok(Ast::Identity),
            Token::LBracket | Token::Filter => self.expression(bp),
            Token::Dot => {
                self.advance();
                self.dot_rhs(bp)
            }
            other => Err(format!("unexpected {other:?} after a projection")),
        }
    }

    fn dot_rhs(&mut self, bp: u8) -> Result<Ast, String> {
        match self.peek() {
            Token::Ident(_) | Token::Quoted(_) => self.expression(bp),
            Token::LBracket => Err("multi-select lists are not supported".to_string()),
            Token::LBrace => Err("multi-select hashes are not supported".to_string()),
            other => Err(format!("unexpected {other:?} after `.`")),
        }
    }
}

fn json_literal(value: serde_json::Value) -> Result<Literal, String> {
    Ok(match value {
        serde_json::Value::String(s) => Literal::Str(s),
        serde_json::Value::Bool(b) => Literal::Bool(b),
        serde_json::Value::Null => Literal::Null,
        serde_json::Value::Number(n) => Literal::Num(
            n.as_f64()
                .ok_or_else(|| format!("number literal {n} is out of range"))?,
        ),
        other => {
            return Err(format!(
                "literal {other} is not supported (only strings, numbers, booleans and null)"
            ))
        }
    })
}

/// The static type of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// A string, or a string enum's value.
    Str,
    /// Any number, as `f64`.
    Num,
    Bool,
    /// A generated structure, by Rust name.
    Struct(String),
    List(Box<Ty>),
    /// The `null` literal.
    Null,
    /// The `{input, output}` root of an `inputOutput` matcher.
    InputOutput,
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Str => f.write_str("a string"),
            Ty::Num => f.write_str("a number"),
            Ty::Bool => f.write_str("a boolean"),
            Ty::Struct(name) => write!(f, "the structure {name}"),
            Ty::List(item) => write!(f, "a list of {item}"),
            Ty::Null => f.write_str("null"),
            Ty::InputOutput => f.write_str("the {input, output} object"),
        }
    }
}

/// How a member's value becomes a typed value: `&str`, `f64`, `bool`, `&Struct`, or a `Vec` of those.
#[derive(Debug, Clone, PartialEq)]
pub enum Conv {
    /// `String`: `.as_str()`.
    Str,
    /// A string enum: `.as_str()` gives its value.
    Enum,
    /// Any integer: `as f64`.
    Int,
    F32,
    F64,
    Bool,
    /// A structure, by reference.
    Struct,
    /// A list: each element converted; `sparse` lists drop their `None`s.
    List {
        item: Box<Conv>,
        sparse: bool,
    },
}

/// A typed expression: what the emitter turns into Rust. Every node evaluates to an `Option` of
/// its type's representation (`None` is JMESPath's `null`).
#[derive(Debug, Clone, PartialEq)]
pub struct Typed {
    pub node: Node,
    pub ty: Ty,
}

/// One step of a typed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// The matcher's root value: the output (or `{input, output}`).
    Root,
    /// The element bound by the enclosing projection or filter, `depth` levels deep.
    Element(usize),
    /// `input` of an `inputOutput` root.
    Input,
    /// `output` of an `inputOutput` root.
    Output,
    /// A structure member.
    Field {
        of: Box<Typed>,
        /// The Rust field name (possibly `r#type`).
        field: String,
        presence: Presence,
        boxed: bool,
        conv: Conv,
    },
    Index {
        of: Box<Typed>,
        index: i64,
    },
    /// `each` evaluated for every element of the list `of` (bound as `Element(depth)`), nulls dropped.
    Project {
        of: Box<Typed>,
        depth: usize,
        each: Box<Typed>,
    },
    /// A list of lists merged into one list.
    Flatten(Box<Typed>),
    /// The elements of `of` for which `cond` is truthy, each mapped through `each`.
    Filter {
        of: Box<Typed>,
        depth: usize,
        cond: Box<Typed>,
        each: Box<Typed>,
    },
    Compare(CompareOp, Box<Typed>, Box<Typed>),
    And(Box<Typed>, Box<Typed>),
    Or(Box<Typed>, Box<Typed>),
    Not(Box<Typed>),
    Literal(Literal),
    Length(Box<Typed>),
    Contains(Box<Typed>, Box<Typed>),
}

/// The value a typed expression is checked against: the output structure, or the input and the
/// output together (`inputOutput`).
#[derive(Debug, Clone, Copy)]
pub enum Root<'a> {
    Output(&'a StructIr),
    InputOutput {
        input: &'a StructIr,
        output: &'a StructIr,
    },
}

/// Types an expression against the IR.
pub fn check(ast: &Ast, root: Root, krate: &Crate) -> Result<Typed, String> {
    let root_typed = Typed {
        node: Node::Root,
        ty: match root {
            Root::Output(s) => Ty::Struct(s.name.clone()),
            Root::InputOutput { .. } => Ty::InputOutput,
        },
    };
    Checker {
        krate,
        root,
        depth: 0,
    }
    .check(ast, &root_typed)
}

struct Checker<'a> {
    krate: &'a Crate,
    root: Root<'a>,
    depth: usize,
}

impl Checker<'_> {
    fn structure(&self, name: &str) -> Option<&StructIr> {
        match self.root {
            Root::Output(s) if s.name == name => return Some(s),
            Root::InputOutput { input, output } => {
                if input.name == name {
                    return Some(input);
                }
                if output.name == name {
                    return Some(output);
                }
            }
            _ => {}
        }
        self.krate.types.iter().find_map(|t| match t {
            TypeDecl::Struct(s) if s.name == name => Some(s),
            _ => None,
        })
    }

    fn check(&mut self, ast: &Ast, current: &Typed) -> Result<Typed, String> {
        Ok(match ast {
            Ast::Identity => current.clone(),
            Ast::Field(name) => self.field(current, name)?,
            Ast::Subexpr(a, b) | Ast::Pipe(a, b) => {
                let a = self.check(a, current)?;
                self.check(b, &a)?
            }
            Ast::Index(of, index) => {
                let of = self.check(of, current)?;
                let Ty::List(item) = &of.ty else {
                    return Err(format!("`[{index}]` indexes {}, not a list", of.ty));
                };
                Typed {
                    ty: (**item).clone(),
                    node: Node::Index {
                        of: Box::new(of),
                        index: *index,
                    },
                }
            }
            Ast::Flatten(of) => {
                let of = self.check(of, current)?;
                match &of.ty {
                    Ty::List(item) => match &**item {
                        Ty::List(inner) => Typed {
                            ty: Ty::List(inner.clone()),
                            node: Node::Flatten(Box::new(of)),
                        },
                        _ => of,
                    },
                    other => return Err(format!("`[]` flattens {other}, not a list")),
                }
            }
            Ast::Projection(of, rhs) => {
                let of = self.check(of, current)?;
                let Ty::List(item) = &of.ty else {
                    return Err(format!("a projection over {}, not a list", of.ty));
                };
                if **rhs == Ast::Identity {
                    return Ok(of);
                }
                let (depth, element) = self.bind((**item).clone());
                let each = self.check(rhs, &element);
                self.depth -= 1;
                let each = each?;
                Typed {
                    ty: Ty::List(Box::new(each.ty.clone())),
                    node: Node::Project {
                        of: Box::new(of),
                        depth,
                        each: Box::new(each),
                    },
                }
            }
            Ast::Filter { lhs, cond, rhs } => {
                let of = self.check(lhs, current)?;
                let Ty::List(item) = &of.ty else {
                    return Err(format!("a filter over {}, not a list", of.ty));
                };
                let (depth, element) = self.bind((**item).clone());
                let checked = self
                    .check(cond, &element)
                    .and_then(|cond| Ok((cond, self.check(rhs, &element)?)));
                self.depth -= 1;
                let (cond, each) = checked?;
                Typed {
                    ty: Ty::List(Box::new(each.ty.clone())),
                    node: Node::Filter {
                        of: Box::new(of),
                        depth,
                        cond: Box::new(cond),
                        each: Box::new(each),
                    },
                }
            }
            Ast::Compare(op, a, b) => {
                let a = self.check(a, current)?;
                let b = self.check(b, current)?;
                let ok = match op {
                    CompareOp::Eq | CompareOp::Ne => {
                        a.ty == b.ty && !matches!(a.ty, Ty::Struct(_) | Ty::InputOutput)
                            || (a.ty == Ty::Null) != (b.ty == Ty::Null)
                    }
                    _ => a.ty == Ty::Num && b.ty == Ty::Num,
                };
                if !ok {
                    return Err(format!(
                        "cannot compare {} with {} using {op:?}",
                        a.ty, b.ty
                    ));
                }
                Typed {
                    ty: Ty::Bool,
                    node: Node::Compare(*op, Box::new(a), Box::new(b)),
                }
            }
            Ast::And(a, b) | Ast::Or(a, b) => {
                let a = self.check(a, current)?;
                let b = self.check(b, current)?;
                if a.ty != b.ty {
                    return Err(format!(
                        "`&&` and `||` need operands of one type here, found {} and {}",
                        a.ty, b.ty
                    ));
                }
                let ty = a.ty.clone();
                let node = if matches!(ast, Ast::And(..)) {
                    Node::And(Box::new(a), Box::new(b))
                } else {
                    Node::Or(Box::new(a), Box::new(b))
                };
                Typed { ty, node }
            }
            Ast::Not(a) => Typed {
                node: Node::Not(Box::new(self.check(a, current)?)),
                ty: Ty::Bool,
            },
            Ast::Literal(literal) => Typed {
                ty: match literal {
                    Literal::Str(_) => Ty::Str,
                    Literal::Num(_) => Ty::Num,
                    Literal::Bool(_) => Ty::Bool,
                    Literal::Null => Ty::Null,
                },
                node: Node::Literal(literal.clone()),
            },
            Ast::Function(name, args) => match (name.as_str(), args.as_slice()) {
                ("length", [arg]) => {
                    let arg = self.check(arg, current)?;
                    if !matches!(arg.ty, Ty::Str | Ty::List(_)) {
                        return Err(format!("length() of {} is not supported", arg.ty));
                    }
                    Typed {
                        node: Node::Length(Box::new(arg)),
                        ty: Ty::Num,
                    }
                }
                ("contains", [subject, search]) => {
                    let subject = self.check(subject, current)?;
                    let search = self.check(search, current)?;
                    let ok = match &subject.ty {
                        Ty::Str => search.ty == Ty::Str,
                        Ty::List(item) => {
                            **item == search.ty && matches!(search.ty, Ty::Str | Ty::Num | Ty::Bool)
                        }
                        _ => false,
                    };
                    if !ok {
                        return Err(format!(
                            "contains() of {} in {} is not supported",
                            search.ty, subject.ty
                        ));
                    }
                    Typed {
                        node: Node::Contains(Box::new(subject), Box::new(search)),
                        ty: Ty::Bool,
                    }
                }
                ("length" | "contains", _) => {
                    return Err(format!("{name}() called with {} arguments", args.len()))
                }
                _ => return Err(format!("the function {name}() is not supported")),
            },
        })
    }

    fn bind(&mut self, ty: Ty) -> (usize, Typed) {
        let depth = self.depth;
        self.depth += 1;
        (
            depth,
            Typed {
                node: Node::Element(depth),
                ty,
            },
        )
    }

    fn field(&self, current: &Typed, name: &str) -> Result<Typed, String> {
        let struct_name = match &current.ty {
            Ty::InputOutput => {
                let (node, s) = match (name, self.root) {
                    ("input", Root::InputOutput { input, .. }) => (Node::Input, input),
                    ("output", Root::InputOutput { output, .. }) => (Node::Output, output),
                    _ => {
                        return Err(format!(
                            "`{name}`: an inputOutput path starts with `input` or `output`"
                        ))
                    }
                };
                return Ok(Typed {
                    node,
                    ty: Ty::Struct(s.name.clone()),
                });
            }
            Ty::Struct(s) => s,
            other => {
                return Err(format!(
                    "`{name}` is a field of {other}, which has no fields"
                ))
            }
        };
        let structure = self
            .structure(struct_name)
            .ok_or_else(|| format!("the structure {struct_name} is not in the generated crate"))?;
        let member = find_member(structure, name)
            .ok_or_else(|| format!("the structure {struct_name} has no member `{name}`"))?;
        let conv = conv(&member.ty, self.krate)
            .map_err(|what| format!("`{name}` of {struct_name}: {what}"))?;
        Ok(Typed {
            ty: conv_ty(&conv, &member.ty),
            node: Node::Field {
                of: Box::new(current.clone()),
                field: member.field.clone(),
                presence: member.presence,
                boxed: member.boxed,
                conv,
            },
        })
    }
}

/// A member by its name in the model (JMESPath paths use member names).
pub fn find_member<'s>(structure: &'s StructIr, name: &str) -> Option<&'s MemberIr> {
    structure
        .members
        .iter()
        .find(|m| m.wire_name == name)
        .or_else(|| {
            structure
                .members
                .iter()
                .find(|m| m.base == crate::naming::snake_case(name))
        })
}

fn conv(ty: &RustType, krate: &Crate) -> Result<Conv, String> {
    Ok(match ty {
        RustType::String => Conv::Str,
        RustType::Bool => Conv::Bool,
        RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => Conv::Int,
        RustType::F32 => Conv::F32,
        RustType::F64 => Conv::F64,
        RustType::Named {
            kind: NamedKind::Enum,
            ..
        } => Conv::Enum,
        RustType::Named {
            kind: NamedKind::Struct,
            name,
        } => {
            // Error structures are not values a path can reach in an output.
            if !krate.types.iter().any(|t| t.name() == name) {
                return Err(format!("the structure {name} is unknown"));
            }
            Conv::Struct
        }
        RustType::List { item, sparse } => Conv::List {
            item: Box::new(conv(item, krate)?),
            sparse: *sparse,
        },
        other => {
            return Err(format!(
                "values of type {} cannot be used in a waiter path",
                describe(other)
            ))
        }
    })
}

fn conv_ty(conv: &Conv, ty: &RustType) -> Ty {
    match (conv, ty) {
        (Conv::Str | Conv::Enum, _) => Ty::Str,
        (Conv::Int | Conv::F32 | Conv::F64, _) => Ty::Num,
        (Conv::Bool, _) => Ty::Bool,
        (Conv::Struct, RustType::Named { name, .. }) => Ty::Struct(name.clone()),
        (Conv::List { item, .. }, RustType::List { item: item_ty, .. }) => {
            Ty::List(Box::new(conv_ty(item, item_ty)))
        }
        _ => unreachable!("conv() follows the type"),
    }
}

fn describe(ty: &RustType) -> &'static str {
    match ty {
        RustType::BigNumber => "bigInteger/bigDecimal",
        RustType::Blob => "blob",
        RustType::Document => "document",
        RustType::Timestamp(_) => "timestamp",
        RustType::Map { .. } => "map",
        RustType::Named {
            kind: NamedKind::Union,
            ..
        } => "union",
        RustType::Named {
            kind: NamedKind::IntEnum,
            ..
        } => "intEnum",
        _ => "this kind",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Ast {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn field(name: &str) -> Box<Ast> {
        Box::new(Ast::Field(name.to_string()))
    }

    #[test]
    fn parses_sub_expressions_and_projections() {
        assert_eq!(p("a.b"), Ast::Subexpr(field("a"), field("b")));
        assert_eq!(
            p("a[].b"),
            Ast::Projection(Box::new(Ast::Flatten(field("a"))), field("b"))
        );
        assert_eq!(p("a[*].b"), Ast::Projection(field("a"), field("b")));
        assert_eq!(p("a[-1]"), Ast::Index(field("a"), -1));
        // A flatten after a projection applies to the projected result.
        assert_eq!(
            p("r[].i[].s"),
            Ast::Projection(
                Box::new(Ast::Flatten(Box::new(Ast::Projection(
                    Box::new(Ast::Flatten(field("r"))),
                    field("i")
                )))),
                field("s")
            )
        );
    }

    #[test]
    fn parses_filters_comparisons_and_functions() {
        assert_eq!(
            p("length(a[?s == 'x']) > `0`"),
            Ast::Compare(
                CompareOp::Gt,
                Box::new(Ast::Function(
                    "length".to_string(),
                    vec![Ast::Filter {
                        lhs: field("a"),
                        cond: Box::new(Ast::Compare(
                            CompareOp::Eq,
                            field("s"),
                            Box::new(Ast::Literal(Literal::Str("x".to_string())))
                        )),
                        rhs: Box::new(Ast::Identity),
                    }]
                )),
                Box::new(Ast::Literal(Literal::Num(0.0)))
            )
        );
        assert_eq!(
            p("!a && (b || c)"),
            Ast::And(
                Box::new(Ast::Not(field("a"))),
                Box::new(Ast::Or(field("b"), field("c")))
            )
        );
        assert_eq!(
            p("contains(a[].s, `\"x\"`)"),
            Ast::Function(
                "contains".to_string(),
                vec![
                    Ast::Projection(Box::new(Ast::Flatten(field("a"))), field("s")),
                    Ast::Literal(Literal::Str("x".to_string()))
                ]
            )
        );
    }

    #[test]
    fn rejects_what_is_not_supported() {
        for (text, reason) in [
            ("a[0:2]", "slices"),
            ("{a: b}", "multi-select hashes"),
            ("a.[b, c]", "multi-select lists"),
            ("a.*", "object wildcards"),
            ("sort_by(a, &b)", "expression references"),
            ("a ==", "unexpected Eof"),
            ("'open", "unterminated"),
            ("a b", "after a complete expression"),
        ] {
            let error = parse(text).unwrap_err();
            assert!(error.contains(reason), "{text}: {error}");
        }
    }
}
